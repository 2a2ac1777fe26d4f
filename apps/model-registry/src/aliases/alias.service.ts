import { Inject, Injectable } from '@nestjs/common';
import { type ModelAlias, type ModelAliases } from '@vigil/contracts';
import { CLOCK, type Clock } from '../config/model-registry.tokens';
import { ActivationPublisher } from '../events/activation.publisher';
import { REGISTRY_ERROR_CODES as C, RegistryError } from '../model-registry.errors';
import { AliasRepository, type AliasEventRow, type MoveArgs } from './alias.repository';
import { rollbackTarget, toModelAliases } from './alias.history';

export interface AliasChange {
  readonly event: AliasEventRow;
  readonly aliases: ModelAliases;
}

/** Moves aliases (audited, then published), rolls them back and answers their history. */
@Injectable()
export class AliasService {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly repo: AliasRepository,
    private readonly publisher: ActivationPublisher,
  ) {}

  async get(name: string): Promise<ModelAliases> {
    return toModelAliases(await this.repo.aliases(name));
  }

  set(args: { name: string; alias: ModelAlias; version: number | null; canaryShare?: number; actor: string; reason: string; kind?: 'move' | 'import' }): Promise<AliasChange> {
    if (args.alias === 'production' && args.version === null) throw new RegistryError(C.AliasInvalid, `production of ${args.name} can move to another version but never be cleared`);
    if (args.canaryShare !== undefined && args.alias !== 'canary') throw new RegistryError(C.AliasInvalid, `only the canary alias takes a traffic share, not ${args.alias}`);
    return this.change({ ...args, kind: args.kind ?? 'move', target: () => args.version });
  }

  rollback(args: { name: string; alias: ModelAlias; actor: string; reason: string }): Promise<AliasChange> {
    return this.change({
      ...args,
      kind: 'rollback',
      target: (current, moves) => {
        const to = rollbackTarget(moves);
        if (to === undefined || (to === null && args.alias === 'production')) {
          throw new RegistryError(C.NothingToRollBack, `${args.alias} of ${args.name} has no earlier version to go back to (it is at ${current ?? 'nothing'})`, { name: args.name, alias: args.alias });
        }
        return to;
      },
    });
  }

  history(args: { name: string; alias?: ModelAlias; limit: number }): Promise<AliasEventRow[]> {
    return this.repo.events({ ...args, order: 'DESC' });
  }

  private async change(args: Omit<MoveArgs, 'at'>): Promise<AliasChange> {
    const event = await this.repo.move({ ...args, at: this.clock.now() });
    // A failed publish is retried by the outbox flush; the move itself has committed.
    await this.publisher.flush();
    return { event, aliases: await this.get(args.name) };
  }
}
