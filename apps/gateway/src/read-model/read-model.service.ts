import { type DetectionBatchMessage, type FlowEnvelope, type ThreatBatch, type ThreatExplanation } from '@vigil/contracts';

/** A flow batch's correlation id when it came from an upload job (the gateway sets it so). */
export const JOB_CORRELATION_PREFIX = 'job:';

export function jobIdOf(correlationId: string): string | null {
  if (!correlationId.startsWith(JOB_CORRELATION_PREFIX)) return null;
  const id = correlationId.slice(JOB_CORRELATION_PREFIX.length);
  return /^[0-9a-f-]{36}$/.test(id) ? id : null;
}

export interface CountRow {
  minute: Date;
  contract: string;
  metric: 'flows' | 'flagged' | 'threats';
  class: string;
  model: string;
  count: number;
}

export interface PredictionRow {
  jobId: string;
  flowId: string;
  contract: string;
  isThreat: boolean;
  probability: number;
  detector: string;
  attackClass: string | null;
  classProbability: number | null;
  classifier: string | null;
}

export interface AlertRecord {
  flowId: string;
  at: Date;
  contract: string;
  sensor: string;
  batchId: string;
  jobId: string | null;
  envelope: FlowEnvelope;
  attackClass: string;
  probability: number;
  top: { class: string; probability: number }[];
  detectorProbability: number;
  detector: string;
  classifier: string;
  explanation: ThreatExplanation | null;
  ingestedAt: Date;
  detectedAt: Date;
}

/** The feature rows of a detection batch's flagged flows, packed as the detector sent them (float32, little-endian). */
export interface FlaggedFeatureRows {
  at: Date;
  contract: string;
  contractVersion: number;
  flowIds: string[];
  /** Bytes of one row: the contract's feature count × 4. */
  rowBytes: number;
  packed: Buffer;
}

export interface DetectionRows {
  batchId: string;
  counts: CountRow[];
  predictions: PredictionRow[];
  /** Absent when a caller stores predictions only. */
  features?: FlaggedFeatureRows;
}

export interface ThreatRows {
  batchId: string;
  counts: CountRow[];
  alerts: AlertRecord[];
  predictions: PredictionRow[];
}

const ref = (m: { name: string; version: string | number }): string => `${m.name}@${m.version}`;
const minuteOf = (iso: string): Date => new Date(Math.floor(new Date(iso).getTime() / 60_000) * 60_000);

/** What one detection result adds to the read model: two counters, and per-flow predictions of a job. */
export function detectionRows(message: DetectionBatchMessage): DetectionRows {
  const h = message.header;
  const minute = minuteOf(h.detectedAt);
  const detector = ref(h.model);
  const counts: CountRow[] = [
    { minute, contract: h.contract.id, metric: 'flows', class: '', model: detector, count: h.count },
    { minute, contract: h.contract.id, metric: 'flagged', class: '', model: detector, count: h.flagged.length },
  ];
  const jobId = jobIdOf(h.correlationId);
  const flagged = new Set(h.flagged);
  const predictions: PredictionRow[] = jobId === null ? [] : h.flowIds.map((flowId, i) => ({
    jobId, flowId, contract: h.contract.id, isThreat: flagged.has(i), probability: message.attackProbabilities[i], detector,
    attackClass: null, classProbability: null, classifier: null,
  }));
  const f = message.flaggedFeatures;
  const features: FlaggedFeatureRows = {
    at: new Date(h.detectedAt), contract: h.contract.id, contractVersion: h.contract.version, flowIds: h.flagged.map((i) => h.flowIds[i]),
    rowBytes: h.featureCount * 4, packed: littleEndianBytes(f),
  };
  return { batchId: h.batchId, counts, predictions, features };
}

/** What one threat batch adds: an alert per threat, per-class counters, the job predictions' classes. */
export function threatRows(batch: ThreatBatch): ThreatRows {
  const minute = minuteOf(batch.classifiedAt);
  const detector = ref(batch.detector);
  const classifier = ref(batch.classifier);
  const jobId = jobIdOf(batch.correlationId);
  const perClass = new Map<string, number>();
  const alerts: AlertRecord[] = batch.threats.map((t) => {
    perClass.set(t.attackClass, (perClass.get(t.attackClass) ?? 0) + 1);
    return {
      flowId: t.flowId, at: new Date(batch.classifiedAt), contract: batch.contract.id, sensor: batch.sensor, batchId: batch.batchId, jobId,
      envelope: t.envelope, attackClass: t.attackClass, probability: t.probability, top: t.top, detectorProbability: t.detectorProbability,
      detector, classifier, explanation: t.explanation ?? null, ingestedAt: new Date(batch.ingestedAt), detectedAt: new Date(batch.detectedAt),
    };
  });
  const counts = [...perClass].map(([cls, count]): CountRow => ({ minute, contract: batch.contract.id, metric: 'threats', class: cls, model: classifier, count }));
  const predictions: PredictionRow[] = jobId === null ? [] : batch.threats.map((t) => ({
    jobId, flowId: t.flowId, contract: batch.contract.id, isThreat: true, probability: t.detectorProbability, detector,
    attackClass: t.attackClass, classProbability: t.probability, classifier,
  }));
  return { batchId: batch.batchId, counts, alerts, predictions };
}

const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/** A float32 block's bytes in the stored (little-endian) order, without a copy on little-endian hosts. */
function littleEndianBytes(values: Float32Array): Buffer {
  if (LITTLE_ENDIAN) return Buffer.from(values.buffer, values.byteOffset, values.byteLength);
  const out = Buffer.alloc(values.byteLength);
  values.forEach((v, i) => out.writeFloatLE(v, i * 4));
  return out;
}
