import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { type AlertRecord, type CountRow, type DetectionRows, type FlaggedFeatureRows, type PredictionRow, type ThreatRows } from './read-model.service';

/**
 * Writes one result batch in one transaction, each table with one multi-row statement
 * (`unnest` of column arrays). The batch id is claimed first: a redelivered batch finds its
 * claim and writes nothing, so counters never count twice; alerts and predictions are keyed
 * by flow id as well.
 */
@Injectable()
export class ReadModelRepository {
  constructor(private readonly db: DataSource) {}

  /** False when this batch was applied before. */
  applyDetection(rows: DetectionRows): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      if (!(await claim(tx, rows.batchId, 'detect'))) return false;
      await addCounts(tx, rows.counts);
      await upsertPredictions(tx, rows.predictions, 'detect');
      if (rows.features) await insertFeatures(tx, rows.features);
      return true;
    });
  }

  /** The alerts actually inserted (empty when this batch was applied before). */
  applyThreats(rows: ThreatRows): Promise<AlertRecord[]> {
    return this.db.transaction(async (tx) => {
      if (!(await claim(tx, rows.batchId, 'classify'))) return [];
      await addCounts(tx, rows.counts);
      await upsertPredictions(tx, rows.predictions, 'classify');
      const inserted = await insertAlerts(tx, rows.alerts);
      return rows.alerts.filter((a) => inserted.has(a.flowId));
    });
  }

  /** Drops batch claims older than the streams' duplicate window could ever redeliver. */
  async pruneClaims(olderThan: Date): Promise<void> {
    await this.db.query('DELETE FROM consumed_batches WHERE at < $1', [olderThan]);
  }

  /** Drops alerts and flagged flows' features older than the retention; the numbers deleted. */
  async pruneAlerts(olderThan: Date): Promise<{ alerts: number; features: number }> {
    const [alerts, features] = await Promise.all([
      this.db.query('WITH d AS (DELETE FROM alerts WHERE at < $1 RETURNING 1) SELECT count(*)::int AS n FROM d', [olderThan]) as Promise<{ n: number }[]>,
      this.db.query('WITH d AS (DELETE FROM flow_features WHERE at < $1 RETURNING 1) SELECT count(*)::int AS n FROM d', [olderThan]) as Promise<{ n: number }[]>,
    ]);
    return { alerts: alerts[0]?.n ?? 0, features: features[0]?.n ?? 0 };
  }
}

async function claim(tx: EntityManager, batchId: string, stage: 'detect' | 'classify'): Promise<boolean> {
  const rows: unknown[] = await tx.query(
    'INSERT INTO consumed_batches (batch_id, stage) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING batch_id', [batchId, stage],
  );
  return rows.length > 0;
}

async function addCounts(tx: EntityManager, counts: readonly CountRow[]): Promise<void> {
  const live = counts.filter((c) => c.count > 0);
  if (live.length === 0) return;
  await tx.query(
    `INSERT INTO minute_counts (minute, contract, metric, class, model, count)
       SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[])
     ON CONFLICT (minute, contract, metric, class, model) DO UPDATE SET count = minute_counts.count + EXCLUDED.count`,
    [live.map((c) => c.minute), live.map((c) => c.contract), live.map((c) => c.metric), live.map((c) => c.class), live.map((c) => c.model), live.map((c) => c.count)],
  );
}

async function upsertPredictions(tx: EntityManager, rows: readonly PredictionRow[], stage: 'detect' | 'classify'): Promise<void> {
  if (rows.length === 0) return;
  // The classifier's answer may land before the detector's (two consumers): each side only sets its own columns.
  const onConflict = stage === 'detect'
    ? 'DO UPDATE SET probability = EXCLUDED.probability, detector = EXCLUDED.detector, is_threat = EXCLUDED.is_threat'
    : 'DO UPDATE SET attack_class = EXCLUDED.attack_class, class_probability = EXCLUDED.class_probability, classifier = EXCLUDED.classifier, is_threat = true';
  await tx.query(
    `INSERT INTO job_predictions (job_id, flow_id, contract, is_threat, probability, detector, attack_class, class_probability, classifier)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::boolean[], $5::real[], $6::text[], $7::text[], $8::real[], $9::text[])
     ON CONFLICT (job_id, flow_id) ${onConflict}`,
    [
      rows.map((r) => r.jobId), rows.map((r) => r.flowId), rows.map((r) => r.contract), rows.map((r) => r.isThreat), rows.map((r) => r.probability),
      rows.map((r) => r.detector), rows.map((r) => r.attackClass), rows.map((r) => r.classProbability), rows.map((r) => r.classifier),
    ],
  );
}

/** One statement per batch: the packed block travels as one binary parameter, each row a slice of it. */
async function insertFeatures(tx: EntityManager, rows: FlaggedFeatureRows): Promise<void> {
  if (rows.flowIds.length === 0) return;
  await tx.query(
    `INSERT INTO flow_features (flow_id, at, contract, contract_version, features)
       SELECT f.id, $3, $4, $5, substring($2::bytea FROM (f.n - 1)::int * $6 + 1 FOR $6)
         FROM unnest($1::text[]) WITH ORDINALITY AS f(id, n)
     ON CONFLICT (flow_id) DO NOTHING`,
    [rows.flowIds, rows.packed, rows.at, rows.contract, rows.contractVersion, rows.rowBytes],
  );
}

async function insertAlerts(tx: EntityManager, alerts: readonly AlertRecord[]): Promise<Set<string>> {
  if (alerts.length === 0) return new Set();
  const col = <T>(f: (a: AlertRecord) => T): T[] => alerts.map(f);
  const rows: { flow_id: string }[] = await tx.query(
    `INSERT INTO alerts (flow_id, at, contract, sensor, batch_id, job_id, src_ip, dst_ip, src_port, dst_port, protocol, envelope,
                         attack_class, probability, top, detector_probability, detector, classifier, ingested_at, detected_at, explanation)
       SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::uuid[], $7::text[], $8::text[],
                            $9::int[], $10::int[], $11::text[], $12::jsonb[], $13::text[], $14::real[], $15::jsonb[], $16::real[],
                            $17::text[], $18::text[], $19::timestamptz[], $20::timestamptz[], $21::jsonb[])
     ON CONFLICT (flow_id) DO NOTHING RETURNING flow_id`,
    [
      col((a) => a.flowId), col((a) => a.at), col((a) => a.contract), col((a) => a.sensor), col((a) => a.batchId), col((a) => a.jobId),
      col((a) => a.envelope.srcIp ?? null), col((a) => a.envelope.dstIp ?? null), col((a) => a.envelope.srcPort ?? null),
      col((a) => a.envelope.dstPort ?? null), col((a) => (a.envelope.protocol === undefined ? null : String(a.envelope.protocol))),
      col((a) => JSON.stringify(a.envelope)), col((a) => a.attackClass), col((a) => a.probability), col((a) => JSON.stringify(a.top)),
      col((a) => a.detectorProbability), col((a) => a.detector), col((a) => a.classifier), col((a) => a.ingestedAt), col((a) => a.detectedAt),
      col((a) => (a.explanation === null ? null : JSON.stringify(a.explanation))),
    ],
  );
  return new Set(rows.map((r) => r.flow_id));
}
