import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** One threat flow that counts toward a policy's evidence threshold against a source. */
export interface EvidenceRow {
  readonly flowId: string;
  /** The network acted on (an IPv6 source already widened to its /64), canonical text. */
  readonly source: string;
  readonly policyKey: string;
  readonly contract: string;
  readonly attackClass: string;
  readonly confidence: number;
  readonly seenAt: Date;
}

/** The count asked for: evidence of `source` under `policyKey` after `since`, counted up to `cap`. */
export interface EvidenceQuestion {
  readonly source: string;
  readonly policyKey: string;
  readonly since: Date;
  readonly cap: number;
}

/** How a policy is named in the evidence table: `<contract>/<attack class>` (contracts contain no `/`). */
export const evidencePolicyKey = (policy: { contract: string; attackClass: string }): string => `${policy.contract}/${policy.attackClass}`;

export const evidenceGroupKey = (source: string, policyKey: string): string => `${source} ${policyKey}`;

/**
 * Durable, shared evidence. A batch is one multi-row insert keyed by flow id (a redelivered
 * batch counts once; replicas add to one count; a restart keeps it) and one count query for
 * every (source, policy) of the batch. Counts stop at the threshold: that is all the question
 * needs, so a flood from one source costs a bounded index scan.
 */
@Injectable()
export class EvidenceRepository {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  /** Stores the rows; returns how many were new (a flow already recorded is left alone). */
  async record(rows: readonly EvidenceRow[]): Promise<number> {
    if (rows.length === 0) return 0;
    const result = (await this.ds.query(
      `INSERT INTO "evidence" ("flow_id", "source", "policy_key", "contract", "attack_class", "confidence", "seen_at")
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::real[], $7::timestamptz[])
       ON CONFLICT ("flow_id") DO NOTHING
       RETURNING 1`,
      [
        rows.map((r) => r.flowId), rows.map((r) => r.source), rows.map((r) => r.policyKey), rows.map((r) => r.contract),
        rows.map((r) => r.attackClass), rows.map((r) => r.confidence), rows.map((r) => r.seenAt.toISOString()),
      ],
    )) as unknown[];
    return result.length;
  }

  /** Windowed counts keyed by `evidenceGroupKey(source, policyKey)`. */
  async count(questions: readonly EvidenceQuestion[]): Promise<Map<string, number>> {
    if (questions.length === 0) return new Map();
    const rows = (await this.ds.query(
      `SELECT g.source, g.policy_key,
              (SELECT count(*) FROM (SELECT 1 FROM "evidence" e
                 WHERE e.source = g.source AND e.policy_key = g.policy_key AND e.seen_at > g.since LIMIT g.cap) capped)::int AS n
       FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::int[]) AS g(source, policy_key, since, cap)`,
      [questions.map((q) => q.source), questions.map((q) => q.policyKey), questions.map((q) => q.since.toISOString()), questions.map((q) => q.cap)],
    )) as { source: string; policy_key: string; n: number }[];
    return new Map(rows.map((r) => [evidenceGroupKey(r.source, r.policy_key), r.n]));
  }

  /** Deletes evidence older than `before`, at most `limit` rows per call; returns how many. */
  async prune(before: Date, limit = 50_000): Promise<number> {
    // TypeORM answers a DELETE with [rows, affected].
    const [, affected] = (await this.ds.query(
      `DELETE FROM "evidence" WHERE ctid IN (SELECT ctid FROM "evidence" WHERE "seen_at" < $1 LIMIT $2)`,
      [before.toISOString(), limit],
    )) as [unknown[], number];
    return affected;
  }
}
