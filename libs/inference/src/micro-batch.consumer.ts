// A durable pull consumer that feeds inference in micro-batches: messages (each already a batch
// of flows) are buffered until `maxFlows` flows or `maxWaitMs` after the first one, then handed
// to `process` together, so one onnxruntime call can serve several small input batches. The
// messages are acked only after `process` resolves (i.e. after the results' PubAcks); a failure
// naks them all for redelivery, and a message that cannot be decoded is dead-lettered.
import { type ConsumerMessages, type JetStreamClient, type JsMsg } from '@nats-io/jetstream';
import { publishDeadLetter } from '@vigil/messaging';

export interface StageItem<T> {
  readonly msg: JsMsg;
  readonly value: T;
  readonly flows: number;
}

export interface ConsumerLag {
  pending: number;
  ackPending: number;
  redelivered: number;
}

export interface StageLogger {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface MicroBatchConsumerOptions<T> {
  js: JetStreamClient;
  stream: string;
  durable: string;
  maxFlows: number;
  maxWaitMs: number;
  /** Throws on a message that can never be processed (it is dead-lettered). */
  decode(msg: JsMsg): { value: T; flows: number };
  /** Resolves once every result of these items is stored. */
  process(items: readonly StageItem<T>[]): Promise<void>;
  deadLetterSubject: string;
  logger: StageLogger;
  /** Messages the client keeps requested ahead (default 64). */
  pullAhead?: number;
  /**
   * Micro-batches in process at once (default 1). At 2, one batch's inference and encoding
   * overlap the other's wait for its PubAcks; results and acks may then settle out of order.
   */
  concurrency?: number;
  /** Called every few seconds with the consumer's pending and redelivered counts. */
  onLag?: (lag: ConsumerLag) => void;
  lagIntervalMs?: number;
}

export interface MicroBatchConsumer {
  stop(): Promise<void>;
}

export async function startMicroBatchConsumer<T>(opts: MicroBatchConsumerOptions<T>): Promise<MicroBatchConsumer> {
  const consumer = await opts.js.consumers.get(opts.stream, opts.durable);
  const messages = await consumer.consume({ max_messages: opts.pullAhead ?? 64 });
  const batcher = new MicroBatcher(opts);
  const loop = batcher.pump(messages);
  const lag = opts.onLag === undefined ? undefined : setInterval(() => {
    consumer.info().then((i) => opts.onLag?.({ pending: i.num_pending, ackPending: i.num_ack_pending, redelivered: i.num_redelivered }), () => undefined);
  }, opts.lagIntervalMs ?? 3_000);
  return {
    stop: async () => {
      if (lag !== undefined) clearInterval(lag);
      await messages.close();
      await loop;
      await batcher.drainAll();
    },
  };
}

class MicroBatcher<T> {
  private buffer: StageItem<T>[] = [];
  private bufferedFlows = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly running = new Set<Promise<void>>();
  private readonly concurrency: number;

  constructor(private readonly opts: MicroBatchConsumerOptions<T>) {
    this.concurrency = Math.max(1, opts.concurrency ?? 1);
  }

  async pump(messages: ConsumerMessages): Promise<void> {
    for await (const msg of messages) {
      let decoded: { value: T; flows: number };
      try {
        decoded = this.opts.decode(msg);
      } catch (err) {
        await this.deadLetter(msg, err);
        continue;
      }
      this.buffer.push({ msg, ...decoded });
      this.bufferedFlows += decoded.flows;
      this.schedule();
    }
  }

  async drainAll(): Promise<void> {
    while (this.running.size > 0 || this.buffer.length > 0) {
      this.kick();
      await Promise.all(this.running);
    }
  }

  private schedule(): void {
    if (this.bufferedFlows >= this.opts.maxFlows) this.kick();
    else this.timer ??= setTimeout(() => this.kick(), this.opts.maxWaitMs);
  }

  // Starts a micro-batch in every free slot. Messages that queued while every slot was busy
  // have waited already, so a slot that frees takes them at once, up to maxFlows.
  private kick(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.running.size < this.concurrency && this.buffer.length > 0) {
      const items = this.take();
      const run: Promise<void> = this.settle(items).finally(() => {
        this.running.delete(run);
        if (this.buffer.length > 0) this.kick();
      });
      this.running.add(run);
    }
  }

  private take(): StageItem<T>[] {
    let flows = 0;
    let n = 0;
    while (n < this.buffer.length && (n === 0 || flows + this.buffer[n].flows <= this.opts.maxFlows)) flows += this.buffer[n++].flows;
    const items = this.buffer.slice(0, n);
    this.buffer = this.buffer.slice(n);
    this.bufferedFlows -= flows;
    return items;
  }

  private async settle(items: StageItem<T>[]): Promise<void> {
    try {
      await this.opts.process(items);
    } catch (err) {
      this.opts.logger.warn({ err, messages: items.length }, 'stage batch failed; redelivering');
      for (const item of items) item.msg.nak(Math.min(30_000, 500 * 2 ** Math.min(6, item.msg.info.deliveryCount - 1)));
      return;
    }
    for (const item of items) item.msg.ack();
  }

  private async deadLetter(msg: JsMsg, err: unknown): Promise<void> {
    const code = (err as { code?: string }).code ?? (err instanceof Error ? err.name : 'Error');
    const letter = { reason: 'poison', errorCode: code, errorMessage: err instanceof Error ? err.message : String(err) };
    try {
      await publishDeadLetter(this.opts.js, { msg, subject: this.opts.deadLetterSubject, letter });
      msg.term();
      this.opts.logger.warn({ err, seq: msg.info.streamSequence }, 'undecodable message dead-lettered');
    } catch (dlqErr) {
      this.opts.logger.error({ err: dlqErr, seq: msg.info.streamSequence }, 'dead letter not stored; message left for redelivery');
      msg.nak(5_000);
    }
  }
}
