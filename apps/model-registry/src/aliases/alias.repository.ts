import { Inject, Injectable } from '@nestjs/common';
import { type ModelAlias } from '@vigil/contracts';
import { DataSource, type EntityManager } from 'typeorm';
import { REGISTRY_ERROR_CODES as C, RegistryError } from '../model-registry.errors';
import { type AliasMove, type AliasRow } from './alias.history';

export interface AliasEventRow extends AliasMove {
  readonly id: number;
  readonly name: string;
  readonly alias: ModelAlias;
  readonly canaryShare: number | null;
  readonly actor: string;
  readonly reason: string;
  readonly at: Date;
  readonly publishedAt: Date | null;
}

export interface MoveArgs {
  readonly name: string;
  readonly alias: ModelAlias;
  readonly kind: AliasMove['kind'];
  readonly actor: string;
  readonly reason: string;
  readonly at: Date;
  readonly canaryShare?: number;
  /** Decides the target under the model's lock, from the alias's current version and its moves. */
  target(current: number | null, moves: readonly AliasEventRow[]): number | null;
}

const EVENT_COLUMNS = `id::int AS id, model_name AS name, alias, from_version AS "from", to_version AS "to", canary_share AS "canaryShare", kind, actor, reason, at, published_at AS "publishedAt"`;

/** Aliases and their audited moves; a move and its event row commit together under the model's row lock. */
@Injectable()
export class AliasRepository {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  aliases(name: string, em: EntityManager | DataSource = this.ds): Promise<AliasRow[]> {
    return em.query(`SELECT alias, version, canary_share AS "canaryShare" FROM model_aliases WHERE model_name = $1 ORDER BY alias`, [name]) as Promise<AliasRow[]>;
  }

  async allAliases(): Promise<Map<string, AliasRow[]>> {
    const rows = (await this.ds.query(`SELECT model_name AS name, alias, version, canary_share AS "canaryShare" FROM model_aliases ORDER BY model_name, alias`)) as (AliasRow & { name: string })[];
    const out = new Map<string, AliasRow[]>();
    for (const { name, ...row } of rows) out.set(name, [...(out.get(name) ?? []), row]);
    return out;
  }

  move(args: MoveArgs): Promise<AliasEventRow> {
    return this.ds.transaction(async (em) => {
      const locked = (await em.query(`SELECT name FROM models WHERE name = $1 FOR UPDATE`, [args.name])) as unknown[];
      if (locked.length === 0) throw new RegistryError(C.ModelNotFound, `no model named ${args.name}`, { name: args.name });
      const current = (await this.aliases(args.name, em)).find((a) => a.alias === args.alias);
      const to = args.target(current?.version ?? null, await this.events({ name: args.name, alias: args.alias, order: 'ASC' }, em));
      if (to !== null && (await em.query(`SELECT 1 FROM model_versions WHERE model_name = $1 AND version = $2`, [args.name, to])).length === 0) {
        throw new RegistryError(C.VersionNotFound, `model ${args.name} has no version ${to}`, { name: args.name, version: to });
      }
      const share = args.alias === 'canary' ? (args.canaryShare ?? current?.canaryShare ?? 0) : null;
      if (to === null) await em.query(`DELETE FROM model_aliases WHERE model_name = $1 AND alias = $2`, [args.name, args.alias]);
      else {
        await em.query(
          `INSERT INTO model_aliases (model_name, alias, version, canary_share, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (model_name, alias) DO UPDATE SET version = $3, canary_share = $4, updated_at = $5, updated_by = $6`,
          [args.name, args.alias, to, share, args.at, args.actor],
        );
      }
      const [event] = (await em.query(
        `INSERT INTO alias_events (model_name, alias, from_version, to_version, canary_share, kind, actor, reason, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${EVENT_COLUMNS}`,
        [args.name, args.alias, current?.version ?? null, to, share, args.kind, args.actor, args.reason, args.at],
      )) as AliasEventRow[];
      return event;
    });
  }

  events(args: { name: string; alias?: ModelAlias; limit?: number; order: 'ASC' | 'DESC' }, em: EntityManager | DataSource = this.ds): Promise<AliasEventRow[]> {
    return em.query(
      `SELECT ${EVENT_COLUMNS} FROM alias_events WHERE model_name = $1 AND ($2::text IS NULL OR alias = $2) ORDER BY id ${args.order === 'ASC' ? 'ASC' : 'DESC'} LIMIT $3`,
      [args.name, args.alias ?? null, args.limit ?? 100_000],
    ) as Promise<AliasEventRow[]>;
  }

  unpublished(limit = 100): Promise<AliasEventRow[]> {
    return this.ds.query(`SELECT ${EVENT_COLUMNS} FROM alias_events WHERE published_at IS NULL ORDER BY id LIMIT $1`, [limit]) as Promise<AliasEventRow[]>;
  }

  async markPublished(id: number, at: Date): Promise<void> {
    await this.ds.query(`UPDATE alias_events SET published_at = $2 WHERE id = $1`, [id, at]);
  }
}
