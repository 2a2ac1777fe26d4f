import { type Consumer, type JetStreamClient, type JsMsg } from '@nats-io/jetstream';
import { millis, type MsgHdrs } from '@nats-io/nats-core';
import { deadLetterSubject, publishDeadLetter } from './dead-letter.service';
import { decideOutcome, type DeliveryOutcome } from './delivery-outcome.service';
import { correlationIdOf } from './messaging.headers';
import { silentLogger, type MessagingLogger } from './messaging.logger';

/** One JetStream message as a handler sees it. */
export interface Delivery {
  readonly message: JsMsg;
  readonly subject: string;
  readonly data: Uint8Array;
  readonly headers: MsgHdrs | undefined;
  readonly correlationId: string | undefined;
  readonly deliveryCount: number;
  readonly streamSequence: number;
  /** Tells the server the handler is still busy, restarting the ack-wait clock. */
  working(): void;
}

/** Resolving acks the message; throwing decides nak, retry later or dead letter. */
export type DeliveryHandler = (delivery: Delivery) => Promise<unknown>;

export interface PullConsumerOptions {
  js: JetStreamClient;
  stream: string;
  durable: string;
  handler: DeliveryHandler;
  /** Messages per pull request (each is already a batch of flows). */
  batchSize?: number;
  /** How long one pull waits for messages; bounds how long `stop()` takes. Min 1000. */
  expiresMs?: number;
  /** Dead-letter subject, default `dlq.<stream>.<durable>`; it must be in some stream. */
  deadLetterSubject?: string;
  /** Await the server's confirmation of each ack (a round trip) instead of firing it. */
  confirmAcks?: boolean;
  /**
   * Messages handled at once (default 1: strictly one after another). Above 1 a handler's
   * waits (its PubAcks) overlap the next message's work; settle order is then not delivery order.
   */
  concurrency?: number;
  backoffMs?: (deliveryCount: number) => number;
  logger?: MessagingLogger;
}

export interface PullConsumerStats {
  acked: number;
  nakked: number;
  deadLettered: number;
}

export interface PullConsumerHandle {
  /** Stops pulling, finishes and settles every message already received, then resolves. */
  stop(): Promise<void>;
  stats(): PullConsumerStats;
}

/** Starts a fetch loop over an existing durable pull consumer. */
export async function startPullConsumer(opts: PullConsumerOptions): Promise<PullConsumerHandle> {
  const consumer = await opts.js.consumers.get(opts.stream, opts.durable);
  const { config } = await consumer.info(true);
  const loop = new PullLoop(consumer, opts, { maxDeliver: config.max_deliver ?? -1, ackWaitMs: millis(config.ack_wait ?? 30e9) });
  const done = loop.run();
  return {
    stop: async () => {
      loop.requestStop();
      await done;
    },
    stats: () => ({ ...loop.stats }),
  };
}

class PullLoop {
  readonly stats: PullConsumerStats = { acked: 0, nakked: 0, deadLettered: 0 };
  private stopping = false;
  private wake: () => void = () => undefined;
  private readonly logger: MessagingLogger;

  constructor(
    private readonly consumer: Consumer,
    private readonly opts: PullConsumerOptions,
    private readonly limits: { maxDeliver: number; ackWaitMs: number },
  ) {
    this.logger = opts.logger ?? silentLogger;
  }

  requestStop(): void {
    this.stopping = true;
    this.wake();
  }

  async run(): Promise<void> {
    const limit = Math.max(1, this.opts.concurrency ?? 1);
    const inFlight = new Set<Promise<void>>();
    while (!this.stopping) {
      try {
        const batch = await this.consumer.fetch({ max_messages: this.opts.batchSize ?? 64, expires: this.opts.expiresMs ?? 1_000 });
        // Messages already handed to this client are processed even when stopping, so a
        // shutdown never leaves them to wait out their ack-wait on the server.
        for await (const msg of batch) {
          while (inFlight.size >= limit) await Promise.race(inFlight);
          const done: Promise<void> = this.process(msg)
            .catch((err: unknown) => this.logger.error({ err, seq: msg.info.streamSequence }, 'message not settled; it will be redelivered'))
            .finally(() => inFlight.delete(done));
          inFlight.add(done);
        }
      } catch (err) {
        if (this.stopping) break;
        this.logger.warn({ err, stream: this.opts.stream, durable: this.opts.durable }, 'pull failed; retrying');
        await this.pause(1_000);
      }
    }
    await Promise.all(inFlight);
  }

  private async process(msg: JsMsg): Promise<void> {
    // Heartbeat well inside ack-wait so slow work on a big batch is not redelivered mid-way.
    const beat = setInterval(() => msg.working(), Math.max(100, Math.floor(this.limits.ackWaitMs / 3)));
    let failed = false;
    let error: unknown;
    try {
      await this.opts.handler(toDelivery(msg));
    } catch (err) {
      failed = true;
      error = err;
    } finally {
      clearInterval(beat);
    }
    const outcome = decideOutcome({ error, failed, deliveryCount: msg.info.deliveryCount, maxDeliver: this.limits.maxDeliver, backoffMs: this.opts.backoffMs });
    if (failed) this.logger.warn({ err: error, outcome, seq: msg.info.streamSequence, deliveryCount: msg.info.deliveryCount }, 'handler failed');
    await this.settle(msg, outcome);
  }

  private async settle(msg: JsMsg, outcome: DeliveryOutcome): Promise<void> {
    switch (outcome.kind) {
      case 'ack':
        if (this.opts.confirmAcks === false) msg.ack();
        else if (!(await msg.ackAck().catch(() => false))) this.logger.warn({ seq: msg.info.streamSequence }, 'ack not confirmed; may be redelivered');
        this.stats.acked += 1;
        return;
      case 'nak':
        msg.nak(outcome.delayMs);
        this.stats.nakked += 1;
        return;
      case 'dead-letter':
        await this.deadLetter(msg, outcome);
        return;
    }
  }

  private async deadLetter(msg: JsMsg, outcome: Extract<DeliveryOutcome, { kind: 'dead-letter' }>): Promise<void> {
    const subject = this.opts.deadLetterSubject ?? deadLetterSubject(this.opts.stream, this.opts.durable);
    try {
      await publishDeadLetter(this.opts.js, { msg, subject, letter: outcome });
      // A bare +TERM: servers before 2.10 ignore `+TERM <reason>` and would redeliver.
      msg.term();
      this.stats.deadLettered += 1;
    } catch (err) {
      // Terminating without a stored dead letter would lose the message, so it is nakked
      // instead; on its last delivery the server keeps it in the stream but stops delivering.
      this.logger.error({ err, subject, seq: msg.info.streamSequence }, 'dead letter not stored; message left for redelivery');
      msg.nak(this.limits.ackWaitMs);
      this.stats.nakked += 1;
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}

function toDelivery(msg: JsMsg): Delivery {
  return {
    message: msg,
    subject: msg.subject,
    data: msg.data,
    headers: msg.headers,
    correlationId: correlationIdOf(msg.headers),
    deliveryCount: msg.info.deliveryCount,
    streamSequence: msg.info.streamSequence,
    working: () => msg.working(),
  };
}
