import {
  AckPolicy,
  JetStreamApiError,
  StorageType,
  type ConsumerConfig,
  type ConsumerInfo,
  type JetStreamManager,
  type StreamConfig,
  type StreamInfo,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/nats-core';
import { MessagingError, MessagingErrorCode } from './messaging.errors';

const STREAM_NAME_IN_USE = 10058;
const STREAM_NOT_FOUND = 10059;

export interface EnsureStreamOptions {
  name: string;
  subjects: string[];
  /** Milliseconds a message is kept; 0 keeps it until limits or acks remove it. */
  maxAgeMs?: number;
  /** Window in which a repeated `Nats-Msg-Id` is dropped; server default is 2 minutes. */
  duplicateWindowMs?: number;
  storage?: 'file' | 'memory';
  maxBytes?: number;
  maxMsgs?: number;
  maxMsgSize?: number;
  replicas?: number;
}

/**
 * Creates the stream, or brings an existing one to this config. Safe to run at every
 * start of every replica: an identical stream is left alone, a different one is updated,
 * and a change the server refuses (storage type) fails with the server's reason.
 */
export async function ensureStream(jsm: JetStreamManager, opts: EnsureStreamOptions): Promise<StreamInfo> {
  const config: Partial<StreamConfig> & { name: string } = {
    name: opts.name,
    subjects: opts.subjects,
    storage: opts.storage === 'memory' ? StorageType.Memory : StorageType.File,
    max_age: nanos(opts.maxAgeMs ?? 0),
    num_replicas: opts.replicas ?? 1,
    ...(opts.duplicateWindowMs === undefined ? {} : { duplicate_window: nanos(opts.duplicateWindowMs) }),
    ...(opts.maxBytes === undefined ? {} : { max_bytes: opts.maxBytes }),
    ...(opts.maxMsgs === undefined ? {} : { max_msgs: opts.maxMsgs }),
    ...(opts.maxMsgSize === undefined ? {} : { max_msg_size: opts.maxMsgSize }),
  };
  try {
    return await jsm.streams.add(config);
  } catch (err) {
    if (!(err instanceof JetStreamApiError) || err.code !== STREAM_NAME_IN_USE) throw conflict('stream', opts.name, err);
  }
  try {
    return await jsm.streams.update(opts.name, config);
  } catch (err) {
    throw conflict('stream', opts.name, err);
  }
}

export interface EnsureConsumerOptions {
  stream: string;
  durable: string;
  /** One subject; several need a 2.10+ server (`filter_subjects`). */
  filterSubject?: string;
  filterSubjects?: string[];
  /** How long the server waits for an ack before redelivering. */
  ackWaitMs: number;
  /** Deliveries before the server gives up; the consumer loop dead-letters the last one. */
  maxDeliver: number;
  /** Unacked messages the consumer may have out across all its clients. */
  maxAckPending?: number;
  /** Largest single pull request (messages). */
  maxBatch?: number;
  description?: string;
}

/** Creates the durable pull consumer, or updates it in place to this config. */
export async function ensureDurableConsumer(jsm: JetStreamManager, opts: EnsureConsumerOptions): Promise<ConsumerInfo> {
  const config: Partial<ConsumerConfig> = {
    durable_name: opts.durable,
    ack_policy: AckPolicy.Explicit,
    ack_wait: nanos(opts.ackWaitMs),
    max_deliver: opts.maxDeliver,
    max_ack_pending: opts.maxAckPending ?? 1_000,
    ...filterOf(opts),
    ...(opts.maxBatch === undefined ? {} : { max_batch: opts.maxBatch }),
    ...(opts.description === undefined ? {} : { description: opts.description }),
  };
  try {
    return await jsm.consumers.add(opts.stream, config);
  } catch (err) {
    // A 2.10+ server refuses a create that differs from the existing consumer; older ones update.
    if (!(err instanceof JetStreamApiError) || err.code === STREAM_NOT_FOUND) throw conflict('consumer', opts.durable, err);
  }
  try {
    return await jsm.consumers.update(opts.stream, opts.durable, config);
  } catch (err) {
    throw conflict('consumer', opts.durable, err);
  }
}

function filterOf(opts: EnsureConsumerOptions): Partial<ConsumerConfig> {
  const subjects = opts.filterSubjects ?? [];
  if (subjects.length > 1) return { filter_subjects: subjects };
  const one = opts.filterSubject ?? subjects[0];
  return one === undefined ? {} : { filter_subject: one };
}

function conflict(what: 'stream' | 'consumer', name: string, cause: unknown): MessagingError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new MessagingError({
    code: what === 'stream' ? MessagingErrorCode.StreamConfigConflict : MessagingErrorCode.ConsumerConfigConflict,
    message: `cannot create or update ${what} ${name}: ${reason}`,
    kind: 'conflict',
    details: { [what]: name, reason },
    cause,
  });
}
