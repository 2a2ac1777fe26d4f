import { VigilError, type ErrorDetails, type ErrorKind } from '@vigil/errors';

/** Stable codes raised by the messaging lib; clients match on these, never on messages. */
export const MessagingErrorCode = {
  Timeout: 'MESSAGING.TIMEOUT',
  NoResponders: 'MESSAGING.NO_RESPONDERS',
  RequestFailed: 'MESSAGING.REQUEST_FAILED',
  BadReply: 'MESSAGING.BAD_REPLY',
  BadRequest: 'MESSAGING.BAD_REQUEST',
  RetryLater: 'MESSAGING.RETRY_LATER',
  Poison: 'MESSAGING.POISON',
  PublishFailed: 'MESSAGING.PUBLISH_FAILED',
  StreamConfigConflict: 'MESSAGING.STREAM_CONFIG_CONFLICT',
  ConsumerConfigConflict: 'MESSAGING.CONSUMER_CONFIG_CONFLICT',
  ConsumerConfigInvalid: 'MESSAGING.CONSUMER_CONFIG_INVALID',
  ConnectFailed: 'MESSAGING.CONNECT_FAILED',
  Internal: 'MESSAGING.INTERNAL',
} as const;
export type MessagingErrorCode = (typeof MessagingErrorCode)[keyof typeof MessagingErrorCode];

export class MessagingError extends VigilError {
  constructor(args: { code: MessagingErrorCode; message: string; kind?: ErrorKind; details?: ErrorDetails; cause?: unknown }) {
    super(args);
  }
}

/**
 * An error reply from a remote responder, rebuilt on the requesting side with the
 * responder's own code so callers can match on it as if it had been thrown locally.
 */
export class RemoteError extends VigilError {
  constructor(args: { code: string; message: string; details?: ErrorDetails; subject: string }) {
    super({ code: args.code, message: args.message, kind: kindFromDetails(args.details), details: { ...args.details, subject: args.subject } });
  }
}

function kindFromDetails(details: ErrorDetails | undefined): ErrorKind {
  const kind = details?.['kind'];
  const known: readonly ErrorKind[] = ['invalid-input', 'not-found', 'conflict', 'unauthorized', 'forbidden', 'unavailable', 'internal'];
  return known.includes(kind as ErrorKind) ? (kind as ErrorKind) : 'internal';
}
