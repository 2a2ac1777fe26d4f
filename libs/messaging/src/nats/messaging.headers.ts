import { headers as createHeaders, type MsgHdrs } from '@nats-io/nats-core';

/** Header names that travel on Vigil messages. `Nats-*` names are the server's own. */
export const MessagingHeader = {
  CorrelationId: 'Vigil-Correlation-Id',
  MsgId: 'Nats-Msg-Id',
  DeadLetterReason: 'Vigil-Dlq-Reason',
  DeadLetterErrorCode: 'Vigil-Dlq-Error-Code',
  DeadLetterErrorMessage: 'Vigil-Dlq-Error-Message',
  DeadLetterOriginalSubject: 'Vigil-Dlq-Original-Subject',
  DeadLetterOriginalMsgId: 'Vigil-Dlq-Original-Msg-Id',
  DeadLetterStream: 'Vigil-Dlq-Stream',
  DeadLetterConsumer: 'Vigil-Dlq-Consumer',
  DeadLetterStreamSequence: 'Vigil-Dlq-Stream-Seq',
  DeadLetterDeliveryCount: 'Vigil-Dlq-Delivery-Count',
  DeadLetterFailedAt: 'Vigil-Dlq-Failed-At',
} as const;

export type HeaderMap = Readonly<Record<string, string>>;

export function buildHeaders(args: { headers?: HeaderMap; correlationId?: string }): MsgHdrs | undefined {
  const entries = Object.entries(args.headers ?? {});
  if (entries.length === 0 && args.correlationId === undefined) return undefined;
  const h = createHeaders();
  for (const [key, value] of entries) h.set(key, value);
  if (args.correlationId !== undefined) h.set(MessagingHeader.CorrelationId, args.correlationId);
  return h;
}

export function correlationIdOf(h: MsgHdrs | undefined): string | undefined {
  const value = h?.get(MessagingHeader.CorrelationId);
  return value ? value : undefined;
}

/** Flattens headers to a plain map (first value of each key), for handlers and logs. */
export function headersToMap(h: MsgHdrs | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!h) return out;
  for (const key of h.keys()) out[key] = h.get(key);
  return out;
}
