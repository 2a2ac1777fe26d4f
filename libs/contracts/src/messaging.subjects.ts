import { type ContractId } from './contract.types';

/**
 * Subject and stream names are owned here, once: producers and consumers build them with
 * these functions so a rename is one edit. Every stream is JetStream with explicit acks.
 */
export const STREAMS = {
  INGEST: { name: 'INGEST', subjects: ['ingest.>'] },
  FLOWS: { name: 'FLOWS', subjects: ['flows.>'] },
  DETECTIONS: { name: 'DETECTIONS', subjects: ['detections.>'] },
  THREATS: { name: 'THREATS', subjects: ['threats.>'] },
  DECISIONS: { name: 'DECISIONS', subjects: ['decisions.>'] },
  MODELS: { name: 'MODELS', subjects: ['models.>'] },
  /** Operational events for people (drift alerts, ...), not flow results. */
  EVENTS: { name: 'EVENTS', subjects: ['events.>'] },
  DLQ: { name: 'DLQ', subjects: ['dlq.>'] },
} as const;

export type StreamName = keyof typeof STREAMS;

/** The actions of a self-healing decision (ARCHITECTURE.md §4). */
export const DECISION_KINDS = ['ban', 'throttle', 'isolate', 'alert'] as const;
export type DecisionKind = (typeof DECISION_KINDS)[number];

/** Message headers whose values this lib defines (the messaging lib owns transport headers). */
export const CONTRACT_HEADERS = {
  Contract: 'Vigil-Contract',
  ContractVersion: 'Vigil-Contract-Version',
  PayloadType: 'Vigil-Payload-Type',
} as const;

/** Payload type names with their wire version; bump the suffix on a breaking change. */
export const PAYLOAD_TYPES = {
  flowBatch: 'flow-batch.v2',
} as const;

// A subject token must not contain separators or wildcards, or a subject would fan out.
function token(value: string): string {
  if (!/^[A-Za-z0-9_-]+$/.test(value)) throw new RangeError(`not a subject token: "${value}"`);
  return value;
}

export const subjects = {
  ingest: (contract: ContractId): string => `ingest.${token(contract)}`,
  flows: (contract: ContractId): string => `flows.${token(contract)}`,
  detections: (contract: ContractId): string => `detections.${token(contract)}`,
  threats: (contract: ContractId): string => `threats.${token(contract)}`,
  decisions: (kind: DecisionKind): string => `decisions.${token(kind)}`,
  modelsActivated: 'models.activated',
  /** Dead letters of a stream, optionally per consumer: `dlq.<STREAM>[.<consumer>]`. */
  dlq: (stream: StreamName | string, consumer?: string): string =>
    consumer === undefined ? `dlq.${token(stream)}` : `dlq.${token(stream)}.${token(consumer)}`,
} as const;
