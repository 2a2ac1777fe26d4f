// What one replica serves of one model: the loaded runners (reference-counted so a swapped-out
// runner is released only after the batches that captured it finish), the alias → version
// assignment that the run path reads as one immutable object, and the per-version states
// reported to the registry.
import { type ModelAlias, type ModelAliases, type ReplicaModel, type RolloutReport } from '@vigil/contracts';
import { type ModelRunner } from '../model-runner';
import { type ThreatExplainer } from '../explain/threat.explainer';
import { CallStatsRing } from './call-stats.ring';

/** What a stage builds beside a version when it loads (off the hot path) and drops when it retires. */
export interface VersionAddons {
  readonly explainer?: ThreatExplainer;
  readonly dispose?: () => void;
}

/** Builds a version's addons after it loaded and before it can go live; a throw fails the load. */
export type PrepareVersion = (runner: ModelRunner) => Promise<VersionAddons>;

export class RunnerLease {
  private users = 0;
  private retired = false;
  private released: Promise<void> | undefined;
  /** Every runner call of this version on this replica (production, canary and shadow alike). */
  readonly stats = new CallStatsRing();

  constructor(readonly runner: ModelRunner, readonly addons: VersionAddons = {}) {}

  acquire(): void {
    this.users += 1;
  }

  async releaseUse(): Promise<void> {
    this.users -= 1;
    if (this.retired && this.users === 0) await this.release();
  }

  /** No new batch will pick this runner; it is released once the last one using it is done. */
  async retire(): Promise<void> {
    this.retired = true;
    if (this.users === 0) await this.release();
  }

  private release(): Promise<void> {
    if (this.released === undefined) this.addons.dispose?.();
    this.released ??= this.runner.release();
    return this.released;
  }
}

export interface Slot {
  readonly version: number;
  readonly lease: RunnerLease;
}

/** The alias assignment the run path reads; replaced whole on a swap, never mutated. */
export interface ActiveModels {
  readonly production?: Slot;
  readonly canary?: Slot & { readonly share: number };
  readonly shadow?: Slot;
}

export interface VersionState {
  state: 'loading' | 'loaded' | 'failed';
  reason?: string;
  batches: number;
  agreement?: { rows: number; agreed: number };
}

export function aliasesOf(active: ActiveModels, version: number): ModelAlias[] {
  return (['production', 'canary', 'shadow'] as const).filter((a) => active[a]?.version === version);
}

/** The next assignment: each alias takes its desired version when loaded, else keeps what it serves now. */
export function nextActive(args: { current: ActiveModels; desired: ModelAliases; loaded: ReadonlyMap<number, RunnerLease> }): ActiveModels {
  const pick = (alias: ModelAlias): Slot | undefined => {
    const want = args.desired[alias]?.version;
    if (want === undefined) return alias === 'production' ? args.current.production : undefined;
    const lease = args.loaded.get(want);
    return lease !== undefined ? { version: want, lease } : args.current[alias];
  };
  const production = pick('production');
  const canary = pick('canary');
  const shadow = pick('shadow');
  return {
    ...(production ? { production } : {}),
    ...(canary ? { canary: { ...canary, share: args.desired.canary?.canaryShare ?? 0 } } : {}),
    ...(shadow ? { shadow } : {}),
  };
}

export function buildReport(args: { replica: string; service: string; name: string; active: ActiveModels; states: ReadonlyMap<number, VersionState>; at: Date }): RolloutReport {
  const versions = new Set<number>([...args.states.keys()]);
  const leases = new Map<number, RunnerLease>();
  for (const slot of [args.active.production, args.active.canary, args.active.shadow]) {
    if (!slot) continue;
    versions.add(slot.version);
    leases.set(slot.version, slot.lease);
  }
  const models: ReplicaModel[] = [...versions].sort((a, b) => a - b).map((version) => {
    const s = args.states.get(version) ?? { state: 'loaded' as const, batches: 0 };
    const aliases = aliasesOf(args.active, version);
    const stats = leases.get(version)?.stats.snapshot();
    return {
      name: args.name, version, aliases, batches: s.batches,
      state: aliases.length > 0 && s.state !== 'failed' ? 'serving' : s.state,
      ...(s.reason !== undefined ? { reason: s.reason.slice(0, 2000) } : {}),
      ...(s.agreement !== undefined ? { agreement: s.agreement } : {}),
      ...(stats !== undefined ? { stats } : {}),
    };
  });
  return { replica: args.replica, service: args.service, at: args.at.toISOString(), models };
}
