// Dead letters back into the pipeline. A message a consumer gave up on is kept in the dead-letter
// stream with its original subject, headers and bytes (publishDeadLetter); once what made it fail
// is fixed (Postgres back, a model reloaded, a bug patched), an operator lists them and replays
// the ones worth it to their original subject. A replay is published with a message id derived
// from the dead letter's own sequence, so running it twice within the stream's duplicate window
// stores it once, and the dead letter is deleted only after the publish was stored.
import { type JetStreamClient, type JetStreamManager, type StoredMsg } from '@nats-io/jetstream';
import { headers as createHeaders } from '@nats-io/nats-core';
import { MessagingHeader } from './messaging.headers';

export interface DeadLetterEntry {
  /** Sequence in the dead-letter stream (what `replay` takes). */
  readonly seq: number;
  readonly originalSubject: string;
  readonly stream: string;
  readonly consumer: string;
  readonly originalSeq: number;
  readonly deliveryCount: number;
  /** `poison` (the same bytes will fail the same way) or `max-deliver` (retried until given up). */
  readonly reason: string;
  readonly errorCode: string;
  readonly errorMessage: string;
  readonly failedAt: string;
  readonly bytes: number;
}

const DLQ_PREFIX = 'vigil-dlq-';

function entryOf(msg: StoredMsg): DeadLetterEntry {
  const h = (name: string): string => msg.header?.get(name) ?? '';
  return {
    seq: msg.seq, originalSubject: h(MessagingHeader.DeadLetterOriginalSubject), stream: h(MessagingHeader.DeadLetterStream),
    consumer: h(MessagingHeader.DeadLetterConsumer), originalSeq: Number(h(MessagingHeader.DeadLetterStreamSequence)) || 0,
    deliveryCount: Number(h(MessagingHeader.DeadLetterDeliveryCount)) || 0, reason: h(MessagingHeader.DeadLetterReason),
    errorCode: h(MessagingHeader.DeadLetterErrorCode), errorMessage: h(MessagingHeader.DeadLetterErrorMessage),
    failedAt: h(MessagingHeader.DeadLetterFailedAt), bytes: msg.data.byteLength,
  };
}

/** The dead letters still in the stream, oldest first (at most `limit`). */
export async function listDeadLetters(jsm: JetStreamManager, args: { stream: string; limit?: number }): Promise<DeadLetterEntry[]> {
  const { state } = await jsm.streams.info(args.stream);
  const out: DeadLetterEntry[] = [];
  const limit = args.limit ?? 1_000;
  for (let seq = state.first_seq; seq <= state.last_seq && out.length < limit && state.messages > 0; seq++) {
    // null for a deleted sequence (a replayed letter); any other failure is the caller's to see.
    const msg = await jsm.streams.getMessage(args.stream, { seq });
    if (msg) out.push(entryOf(msg));
  }
  return out;
}

/**
 * Publishes dead letter `seq` to its original subject with its original headers (the dead-letter
 * ones dropped), then deletes it from the dead-letter stream. Throws when it is not there or has
 * no original subject.
 */
export async function replayDeadLetter(js: JetStreamClient, jsm: JetStreamManager, args: { stream: string; seq: number }): Promise<{ entry: DeadLetterEntry; duplicate: boolean }> {
  const msg = await jsm.streams.getMessage(args.stream, { seq: args.seq });
  if (!msg) throw new Error(`no dead letter ${args.seq} in stream ${args.stream}`);
  const entry = entryOf(msg);
  if (entry.originalSubject === '') throw new Error(`dead letter ${args.seq} names no original subject (${MessagingHeader.DeadLetterOriginalSubject})`);
  const h = createHeaders();
  for (const key of msg.header?.keys() ?? []) {
    if (key.toLowerCase().startsWith(DLQ_PREFIX) || key.toLowerCase().startsWith('nats-')) continue;
    for (const value of msg.header?.values(key) ?? []) h.append(key, value);
  }
  const ack = await js.publish(entry.originalSubject, msg.data, { headers: h, msgID: `replay:${args.stream}:${args.seq}` });
  await jsm.streams.deleteMessage(args.stream, args.seq);
  return { entry, duplicate: ack.duplicate };
}
