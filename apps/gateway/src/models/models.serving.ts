// What the profile says about how the serving replicas run the active version, from the
// observed stats in their latest rollout reports. Percentiles cannot be merged exactly from
// per-replica percentiles, so each replica's are shown and the summary is their row-weighted
// mean: a replica that scored more rows in its window counts for more.
import { type ReplicaModel, type ReplicaModelStats } from '@vigil/contracts';

export interface ReplicaServing extends ReplicaModelStats {
  readonly replica: string;
  readonly service: string;
}

export interface ServingFigures {
  /** Row-weighted mean of the per-replica p50 and p99 (ms per runner call); null when no replica reports stats. */
  readonly latencyMs: { p50: number; p99: number } | null;
  /** Sum of the replicas' rowsPerSecond; null when no replica reports stats. */
  readonly throughputRowsPerSecond: number | null;
  readonly perReplica: ReplicaServing[];
}

export const SERVING_NOTE =
  'latencyMs is the row-weighted mean of each replica\'s p50 and p99 per runner call (one micro-batch, not one row) over its last ≤ 2,000 calls, ' +
  'weighted by the rows the replica scored in its window (by calls when no replica scored any); it is not a fleet-wide percentile, see perReplica. ' +
  'throughputRowsPerSecond is the sum of the replicas\' rows per second over their last ≤ 60 s.';

/** Aggregates the stats of the replicas serving `version` of `name`. */
export function servingFigures(args: { name: string; version: number; replicas: readonly { replica: string; service: string; models: readonly ReplicaModel[] }[] }): ServingFigures {
  const perReplica: ReplicaServing[] = [];
  for (const r of args.replicas) {
    for (const m of r.models) {
      if (m.name === args.name && m.version === args.version && m.state === 'serving' && m.stats !== undefined) perReplica.push({ replica: r.replica, service: r.service, ...m.stats });
    }
  }
  if (perReplica.length === 0) return { latencyMs: null, throughputRowsPerSecond: null, perReplica };
  const byRows = perReplica.some((s) => s.rows > 0);
  const weight = (s: ReplicaServing): number => (byRows ? s.rows : s.calls);
  const total = perReplica.reduce((n, s) => n + weight(s), 0);
  const mean = (pick: (s: ReplicaServing) => number): number => round3(perReplica.reduce((n, s) => n + pick(s) * weight(s), 0) / total);
  return {
    latencyMs: { p50: mean((s) => s.p50Ms), p99: mean((s) => s.p99Ms) },
    throughputRowsPerSecond: round3(perReplica.reduce((n, s) => n + s.rowsPerSecond, 0)),
    perReplica,
  };
}

function round3(x: number): number {
  return Math.round(x * 1_000) / 1_000;
}
