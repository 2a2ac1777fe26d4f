import { MessagingError, MessagingErrorCode } from './nats/messaging.errors';
import { type ConnectNatsOptions } from './nats/nats-client.config';
import { type NatsClient } from './nats/nats-client.service';
import { type MessagingLogger } from './nats/messaging.logger';
import { type EnsureStreamOptions } from './nats/stream-setup.service';

/** How one `@EventPattern` subject is consumed. */
export interface EventConsumerConfig {
  stream: string;
  durable: string;
  /** Defaults to the pattern itself. */
  filterSubject?: string;
  /** Messages per pull; each message is a batch of records. */
  batchSize: number;
  ackWaitMs: number;
  maxDeliver: number;
  maxAckPending?: number;
  /** Pull wait; bounds how long close() waits for an idle pull. Min 1000. */
  expiresMs: number;
  /** Default `dlq.<stream>.<durable>`; a stream must cover it (see `streams`). */
  deadLetterSubject?: string;
  /** Await the server's confirmation of each ack (default true). */
  confirmAcks?: boolean;
  backoffMs?: (deliveryCount: number) => number;
}

export interface JetStreamServerOptions {
  /** A shared client (left open on close) or options to open one owned by the server. */
  connection: NatsClient | ConnectNatsOptions;
  /** Streams ensured before consumers start: work streams and their dead-letter streams. */
  streams?: EnsureStreamOptions[];
  /** Per-pattern consumer config; overrides the `@EventPattern` extras and `defaults`. */
  consumers?: Record<string, Partial<EventConsumerConfig>>;
  defaults?: Partial<EventConsumerConfig>;
  /** Queue group for `@MessagePattern` subscriptions, so replicas share requests. */
  queue?: string;
  logger?: MessagingLogger;
}

export const EVENT_CONSUMER_DEFAULTS: Omit<EventConsumerConfig, 'stream' | 'durable'> = {
  batchSize: 16,
  ackWaitMs: 30_000,
  maxDeliver: 5,
  expiresMs: 1_000,
};

/** Merges defaults < decorator extras < per-pattern options and checks what is required. */
export function resolveConsumerConfig(args: {
  pattern: string;
  extras: unknown;
  options: JetStreamServerOptions;
}): EventConsumerConfig & { filterSubject: string } {
  const fromExtras = (typeof args.extras === 'object' && args.extras !== null ? args.extras : {}) as Partial<EventConsumerConfig>;
  const merged = { ...EVENT_CONSUMER_DEFAULTS, ...args.options.defaults, ...fromExtras, ...args.options.consumers?.[args.pattern] };
  if (!merged.stream || !merged.durable) {
    throw new MessagingError({
      code: MessagingErrorCode.ConsumerConfigInvalid,
      message: `@EventPattern('${args.pattern}') needs a stream and a durable (decorator extras or JetStreamServer consumers option)`,
      kind: 'invalid-input',
      details: { pattern: args.pattern },
    });
  }
  return { ...merged, stream: merged.stream, durable: merged.durable, filterSubject: merged.filterSubject ?? args.pattern };
}
