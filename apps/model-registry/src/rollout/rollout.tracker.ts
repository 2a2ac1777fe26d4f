import { type ModelAlias, type ModelAliases, type RolloutReport } from '@vigil/contracts';

export interface AliasRollout {
  /** The version the alias points at in the registry, if set. */
  readonly target?: number;
  readonly canaryShare?: number;
  /** Replicas serving each version under this alias, by version. */
  readonly serving: Record<string, number>;
  /** Replicas serving the target: the rollout is complete when this equals the replicas of the model. */
  readonly onTarget: number;
}

export interface ModelRollout {
  readonly name: string;
  readonly replicas: number;
  readonly aliases: Record<ModelAlias, AliasRollout>;
  readonly failures: { replica: string; version: number; reason: string }[];
  readonly loading: { replica: string; version: number }[];
  /** Shadow against production over every replica's rows. */
  readonly shadowAgreement?: { rows: number; agreed: number; rate: number };
}

export interface RolloutStatus {
  readonly at: string;
  readonly replicas: { replica: string; service: string; lastSeen: string; models: RolloutReport['models'] }[];
  readonly models: ModelRollout[];
}

/** The latest report of every replica; replicas silent for longer than `forgetMs` drop out. */
export class RolloutTracker {
  private readonly reports = new Map<string, { report: RolloutReport; seenAt: number }>();

  constructor(private readonly forgetMs: number) {}

  record(report: RolloutReport, at: Date): void {
    this.reports.set(report.replica, { report, seenAt: at.getTime() });
  }

  status(args: { now: Date; aliases: ReadonlyMap<string, ModelAliases>; name?: string }): RolloutStatus {
    const now = args.now.getTime();
    for (const [replica, seen] of this.reports) if (now - seen.seenAt > this.forgetMs) this.reports.delete(replica);
    const live = [...this.reports.values()].sort((a, b) => a.report.replica.localeCompare(b.report.replica));
    const names = new Set([...args.aliases.keys(), ...live.flatMap((s) => s.report.models.map((m) => m.name))]);
    const models = [...names].filter((n) => args.name === undefined || n === args.name).sort().map((name) => this.model(name, live.map((s) => s.report), args.aliases.get(name) ?? {}));
    return {
      at: args.now.toISOString(),
      replicas: live.filter((s) => args.name === undefined || s.report.models.some((m) => m.name === args.name))
        .map((s) => ({ replica: s.report.replica, service: s.report.service, lastSeen: new Date(s.seenAt).toISOString(), models: s.report.models })),
      models,
    };
  }

  private model(name: string, reports: readonly RolloutReport[], aliases: ModelAliases): ModelRollout {
    const holding = reports.filter((r) => r.models.some((m) => m.name === name));
    const entries = holding.flatMap((r) => r.models.filter((m) => m.name === name).map((m) => ({ replica: r.replica, m })));
    const alias = (a: ModelAlias): AliasRollout => {
      const serving: Record<string, number> = {};
      for (const { m } of entries) if (m.state === 'serving' && m.aliases.includes(a)) serving[m.version] = (serving[m.version] ?? 0) + 1;
      const target = aliases[a]?.version;
      return { target, ...(a === 'canary' && aliases.canary ? { canaryShare: aliases.canary.canaryShare } : {}), serving, onTarget: target === undefined ? 0 : (serving[target] ?? 0) };
    };
    const shadows = entries.filter(({ m }) => m.aliases.includes('shadow') && m.agreement !== undefined);
    const rows = shadows.reduce((n, { m }) => n + (m.agreement?.rows ?? 0), 0);
    const agreed = shadows.reduce((n, { m }) => n + (m.agreement?.agreed ?? 0), 0);
    return {
      name, replicas: holding.length,
      aliases: { production: alias('production'), canary: alias('canary'), shadow: alias('shadow') },
      failures: entries.filter(({ m }) => m.state === 'failed').map(({ replica, m }) => ({ replica, version: m.version, reason: m.reason ?? 'unknown' })),
      loading: entries.filter(({ m }) => m.state === 'loading').map(({ replica, m }) => ({ replica, version: m.version })),
      ...(shadows.length > 0 ? { shadowAgreement: { rows, agreed, rate: rows === 0 ? 1 : agreed / rows } } : {}),
    };
  }
}
