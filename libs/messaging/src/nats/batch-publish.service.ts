import { type JetStreamClient } from '@nats-io/jetstream';
import { buildHeaders, type HeaderMap } from './messaging.headers';
import { MessagingError, MessagingErrorCode } from './messaging.errors';

export interface BatchMessage {
  subject: string;
  payload: Uint8Array;
  /** Deterministic batch id; the stream drops a repeat inside its duplicate window. */
  msgId: string;
  correlationId?: string;
  headers?: HeaderMap;
}

export interface PublishResult {
  stream: string;
  seq: number;
  /** True when the stream already held this msgId: nothing new was stored. */
  duplicate: boolean;
}

/** Publishes one batch and waits for the stream to store it. */
export async function publishBatch(
  js: JetStreamClient,
  msg: BatchMessage,
  opts: { timeoutMs?: number } = {},
): Promise<PublishResult> {
  try {
    const ack = await js.publish(msg.subject, msg.payload, {
      msgID: msg.msgId,
      timeout: opts.timeoutMs ?? 5_000,
      headers: buildHeaders({ headers: msg.headers, correlationId: msg.correlationId }),
    });
    return { stream: ack.stream, seq: ack.seq, duplicate: ack.duplicate };
  } catch (cause) {
    throw new MessagingError({
      code: MessagingErrorCode.PublishFailed,
      message: `publish to ${msg.subject} was not acknowledged: ${cause instanceof Error ? cause.message : String(cause)}`,
      kind: 'unavailable',
      details: { subject: msg.subject, msgId: msg.msgId },
      cause,
    });
  }
}

export interface PublishWindowSummary {
  published: number;
  duplicates: number;
}

/**
 * Keeps up to `maxInFlight` publishes awaiting their PubAck, the way a producer reaches
 * tens of thousands of messages a second without unbounded memory: `publish()` returns
 * once the message is on its way and there is room for the next one; `flush()` waits for
 * every ack and fails with the msgIds that were not stored. Republishing those is safe
 * because the stream deduplicates on msgId.
 */
export class PublishWindow {
  private readonly pending = new Set<Promise<void>>();
  private readonly failed: { msgId: string; reason: string }[] = [];
  private published = 0;
  private duplicates = 0;

  constructor(
    private readonly js: JetStreamClient,
    private readonly opts: { maxInFlight: number; timeoutMs?: number },
  ) {}

  get inFlight(): number {
    return this.pending.size;
  }

  async publish(msg: BatchMessage): Promise<void> {
    while (this.pending.size >= this.opts.maxInFlight) await Promise.race(this.pending);
    const p: Promise<void> = publishBatch(this.js, msg, { timeoutMs: this.opts.timeoutMs }).then(
      (r) => {
        this.published += 1;
        if (r.duplicate) this.duplicates += 1;
      },
      (err: unknown) => {
        this.failed.push({ msgId: msg.msgId, reason: err instanceof Error ? err.message : String(err) });
      },
    ).finally(() => this.pending.delete(p));
    this.pending.add(p);
  }

  async flush(): Promise<PublishWindowSummary> {
    while (this.pending.size > 0) await Promise.all(this.pending);
    const summary = { published: this.published, duplicates: this.duplicates };
    if (this.failed.length > 0) {
      const failed = this.failed.splice(0);
      throw new MessagingError({
        code: MessagingErrorCode.PublishFailed,
        message: `${failed.length} publish(es) were not acknowledged`,
        kind: 'unavailable',
        details: { failedMsgIds: failed.map((f) => f.msgId), firstReason: failed[0]?.reason, ...summary },
      });
    }
    return summary;
  }
}
