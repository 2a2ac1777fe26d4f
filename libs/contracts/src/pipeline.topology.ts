import { type ContractId } from './contract.types';
import { STREAMS, subjects } from './messaging.subjects';

/**
 * The subjects and streams of the flow pipeline, optionally behind a prefix. Production runs
 * with no prefix (`flows.nsl-kdd` in stream FLOWS); tests and benchmarks give each run its own
 * prefix so their streams never overlap the real ones or each other's.
 */
export interface PipelineTopology {
  readonly prefix: string;
  readonly subjects: {
    ingest(contract: ContractId): string;
    flows(contract: ContractId): string;
    detections(contract: ContractId): string;
    threats(contract: ContractId): string;
    /** Core NATS request subject of the JSON batch door (the gateway's POST /api/v1/flows). */
    readonly submit: string;
    /** Core NATS subject where the producer door reports the records it rejected. */
    rejected(contract: ContractId): string;
    /**
     * Core NATS subject of a stage's shadow-model results (`shadow.detections.<contract>`,
     * `shadow.threats.<contract>`): outside every stream, so nothing acts on them.
     */
    shadow(kind: 'detections' | 'threats', contract: ContractId): string;
    /** Core NATS request subject where each replica of a stage answers its live drift of a model. */
    drift(stage: string, model: string): string;
    /** JetStream subject (stream EVENTS) of a model's drift alerts. */
    driftAlert(model: string): string;
  };
  readonly streams: Record<'INGEST' | 'FLOWS' | 'DETECTIONS' | 'THREATS' | 'DLQ' | 'EVENTS', { name: string; subjects: string[] }>;
  /** Dead-letter subject of one stage's consumer. */
  deadLetter(stream: string, durable: string): string;
}

function subjectToken(value: string): string {
  if (!/^[A-Za-z0-9_-]+$/.test(value)) throw new RangeError(`not a subject token: "${value}"`);
  return value;
}

export function pipelineTopology(prefix = ''): PipelineTopology {
  if (prefix !== '' && !/^[A-Za-z0-9_-]{1,32}$/.test(prefix)) throw new RangeError(`not a pipeline prefix: "${prefix}"`);
  const sub = (s: string): string => (prefix === '' ? s : `${prefix}.${s}`);
  const stream = (name: keyof typeof STREAMS): { name: string; subjects: string[] } => ({
    name: prefix === '' ? name : `${prefix}_${name}`,
    subjects: STREAMS[name].subjects.map(sub),
  });
  return {
    prefix,
    subjects: {
      ingest: (c) => sub(subjects.ingest(c)),
      flows: (c) => sub(subjects.flows(c)),
      detections: (c) => sub(subjects.detections(c)),
      threats: (c) => sub(subjects.threats(c)),
      submit: sub('ingestion.flows.submit'),
      rejected: (c) => sub(`ingestion.rejected.${c}`),
      shadow: (kind, c) => sub(`shadow.${kind === 'detections' ? subjects.detections(c) : subjects.threats(c)}`),
      drift: (stage, model) => sub(`${subjectToken(stage)}.drift.${subjectToken(model)}`),
      driftAlert: (model) => sub(`events.drift.${subjectToken(model)}`),
    },
    streams: { INGEST: stream('INGEST'), FLOWS: stream('FLOWS'), DETECTIONS: stream('DETECTIONS'), THREATS: stream('THREATS'), DLQ: stream('DLQ'), EVENTS: stream('EVENTS') },
    deadLetter: (streamName, durable) => sub(subjects.dlq(streamName, durable)),
  };
}
