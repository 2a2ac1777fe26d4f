import { type JetStreamClient, type JsMsg } from '@nats-io/jetstream';
import { headers as createHeaders, type MsgHdrs } from '@nats-io/nats-core';
import { MessagingHeader } from './messaging.headers';

/** Where a consumer's dead letters go unless configured otherwise. */
export function deadLetterSubject(stream: string, durable: string): string {
  return `dlq.${stream}.${durable}`;
}

export interface DeadLetter {
  reason: string;
  errorCode: string;
  errorMessage: string;
}

/**
 * Republishes a failed message, payload and headers untouched, with why and where it
 * failed in `Vigil-Dlq-*` headers. The msgId is the origin's stream sequence, so a
 * retry after a lost PubAck does not store it twice.
 */
export async function publishDeadLetter(
  js: JetStreamClient,
  args: { msg: JsMsg; subject: string; letter: DeadLetter; timeoutMs?: number },
): Promise<{ seq: number; duplicate: boolean }> {
  const { msg, letter } = args;
  const { stream, consumer, streamSequence, deliveryCount } = msg.info;
  const h = copyUserHeaders(msg.headers);
  const originalMsgId = msg.headers?.get(MessagingHeader.MsgId);
  if (originalMsgId) h.set(MessagingHeader.DeadLetterOriginalMsgId, originalMsgId);
  h.set(MessagingHeader.DeadLetterReason, headerSafe(letter.reason));
  h.set(MessagingHeader.DeadLetterErrorCode, headerSafe(letter.errorCode));
  h.set(MessagingHeader.DeadLetterErrorMessage, headerSafe(letter.errorMessage));
  h.set(MessagingHeader.DeadLetterOriginalSubject, msg.subject);
  h.set(MessagingHeader.DeadLetterStream, stream);
  h.set(MessagingHeader.DeadLetterConsumer, consumer);
  h.set(MessagingHeader.DeadLetterStreamSequence, String(streamSequence));
  h.set(MessagingHeader.DeadLetterDeliveryCount, String(deliveryCount));
  h.set(MessagingHeader.DeadLetterFailedAt, new Date().toISOString());
  const ack = await js.publish(args.subject, msg.data, {
    headers: h,
    msgID: `dlq:${stream}:${consumer}:${streamSequence}`,
    timeout: args.timeoutMs ?? 5_000,
  });
  return { seq: ack.seq, duplicate: ack.duplicate };
}

// `Nats-*` headers are instructions to the server (dedup, expected sequence) that would
// misfire on the dead-letter stream; the original msgId is kept under its own name.
function copyUserHeaders(src: MsgHdrs | undefined): MsgHdrs {
  const h = createHeaders();
  if (!src) return h;
  for (const key of src.keys()) {
    if (key.toLowerCase().startsWith('nats-')) continue;
    for (const value of src.values(key)) h.append(key, value);
  }
  return h;
}

function headerSafe(value: string): string {
  return value.replace(/[\r\n]+/g, ' ').slice(0, 512);
}
