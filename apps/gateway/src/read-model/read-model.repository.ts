import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { type AlertRecord, type CountRow, type DetectionRows, type FlaggedFeatureRows, type PredictionRow, type ThreatRows } from './read-model.service';

/**
 * Writes result batches, several in one transaction, each table with one multi-row statement
 * (`unnest` of column arrays). Batch ids are claimed first: a redelivered batch finds its
 * claim and writes nothing, so counters never count twice; alerts and predictions are keyed
 * by flow id as well.
 */
@Injectable()
export class ReadModelRepository {
  constructor(private readonly db: DataSource) {}

  /** False when this batch was applied before. */
  async applyDetection(rows: DetectionRows): Promise<boolean> {
    return (await this.applyDetections([rows]))[0];
  }

  /** Per batch: false when it was applied before. */
  applyDetections(batches: readonly DetectionRows[]): Promise<boolean[]> {
    return this.db.transaction(async (tx) => {
      const fresh = await claimAll(tx, batches.map((b) => b.batchId), 'detect');
      const applied = batches.filter((_, i) => fresh[i]);
      await addCounts(tx, applied.flatMap((b) => b.counts));
      await upsertPredictions(tx, applied.flatMap((b) => b.predictions), 'detect');
      for (const b of applied) if (b.features) await insertFeatures(tx, b.features);
      return fresh;
    });
  }

  /** The alerts actually inserted (empty when this batch was applied before). */
  async applyThreats(rows: ThreatRows): Promise<AlertRecord[]> {
    return (await this.applyThreatBatches([rows]))[0];
  }

  /** Per batch: the alerts actually inserted (none for a batch applied before). */
  applyThreatBatches(batches: readonly ThreatRows[]): Promise<AlertRecord[][]> {
    return this.db.transaction(async (tx) => {
      const fresh = await claimAll(tx, batches.map((b) => b.batchId), 'classify');
      const applied = batches.filter((_, i) => fresh[i]);
      await addCounts(tx, applied.flatMap((b) => b.counts));
      await upsertPredictions(tx, applied.flatMap((b) => b.predictions), 'classify');
      const inserted = await insertAlerts(tx, applied.flatMap((b) => b.alerts));
      // A flow id is one alert: the first batch of the group that carries it owns it.
      return batches.map((b, i) => (fresh[i] ? b.alerts.filter((a) => inserted.delete(a.flowId)) : []));
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

/** Per batch id: true when this call claimed it (a repeat inside the group counts as claimed before). */
async function claimAll(tx: EntityManager, batchIds: readonly string[], stage: 'detect' | 'classify'): Promise<boolean[]> {
  const rows: { batch_id: string }[] = await tx.query(
    'INSERT INTO consumed_batches (batch_id, stage) SELECT unnest($1::text[]), $2 ON CONFLICT DO NOTHING RETURNING batch_id', [[...new Set(batchIds)], stage],
  );
  const claimed = new Set(rows.map((r) => r.batch_id));
  return batchIds.map((id) => claimed.delete(id));
}

async function addCounts(tx: EntityManager, counts: readonly CountRow[]): Promise<void> {
  // One row per key: an upsert statement may not touch the same row twice.
  const merged = new Map<string, CountRow>();
  for (const c of counts) {
    if (c.count <= 0) continue;
    const key = `${c.minute.getTime()}|${c.contract}|${c.metric}|${c.class}|${c.model}`;
    const seen = merged.get(key);
    if (seen) seen.count += c.count;
    else merged.set(key, { ...c });
  }
  const live = [...merged.values()];
  if (live.length === 0) return;
  await tx.query(
    `INSERT INTO minute_counts (minute, contract, metric, class, model, count)
       SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[])
     ON CONFLICT (minute, contract, metric, class, model) DO UPDATE SET count = minute_counts.count + EXCLUDED.count`,
    [live.map((c) => c.minute), live.map((c) => c.contract), live.map((c) => c.metric), live.map((c) => c.class), live.map((c) => c.model), live.map((c) => c.count)],
  );
}

async function upsertPredictions(tx: EntityManager, all: readonly PredictionRow[], stage: 'detect' | 'classify'): Promise<void> {
  // One row per (job, flow), the last answer winning: an upsert statement may not touch the same row twice.
  const rows = [...new Map(all.map((r) => [`${r.jobId}|${r.flowId}`, r])).values()];
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

/**
 * The alerts travel as one JSON document (one native stringify here, one jsonb parse in
 * Postgres): several times cheaper than column arrays of JSON texts, which both sides escape.
 */
async function insertAlerts(tx: EntityManager, alerts: readonly AlertRecord[]): Promise<Set<string>> {
  if (alerts.length === 0) return new Set();
  const doc = alerts.map((a) => ({
    flow_id: a.flowId, at: a.at, contract: a.contract, sensor: a.sensor, batch_id: a.batchId, job_id: a.jobId, envelope: a.envelope,
    attack_class: a.attackClass, probability: a.probability, top: a.top, detector_probability: a.detectorProbability, detector: a.detector,
    classifier: a.classifier, ingested_at: a.ingestedAt, detected_at: a.detectedAt, explanation: a.explanation,
  }));
  const rows: { flow_id: string }[] = await tx.query(
    `INSERT INTO alerts (flow_id, at, contract, sensor, batch_id, job_id, src_ip, dst_ip, src_port, dst_port, protocol, envelope,
                         attack_class, probability, top, detector_probability, detector, classifier, ingested_at, detected_at, explanation)
       SELECT flow_id, at, contract, sensor, batch_id, job_id, envelope->>'srcIp', envelope->>'dstIp', (envelope->>'srcPort')::int,
              (envelope->>'dstPort')::int, envelope->>'protocol', envelope, attack_class, probability, top, detector_probability,
              detector, classifier, ingested_at, detected_at, explanation
         FROM jsonb_to_recordset($1::jsonb) AS x(flow_id text, at timestamptz, contract text, sensor text, batch_id text, job_id uuid,
              envelope jsonb, attack_class text, probability real, top jsonb, detector_probability real, detector text, classifier text,
              ingested_at timestamptz, detected_at timestamptz, explanation jsonb)
     ON CONFLICT (flow_id) DO NOTHING RETURNING flow_id`,
    [JSON.stringify(doc)],
  );
  return new Set(rows.map((r) => r.flow_id));
}
