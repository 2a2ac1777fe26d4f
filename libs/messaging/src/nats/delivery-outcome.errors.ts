import { VigilError, type ErrorDetails } from '@vigil/errors';
import { MessagingErrorCode } from './messaging.errors';

/** Thrown by a handler that cannot finish now but expects to later (a dependency is down). */
export class RetryLater extends VigilError {
  readonly delayMs: number;

  constructor(delayMs: number, message = `retry in ${delayMs} ms`, details: ErrorDetails = {}) {
    super({ code: MessagingErrorCode.RetryLater, message, kind: 'unavailable', details: { ...details, delayMs } });
    this.delayMs = delayMs;
  }
}

/**
 * Thrown by a handler for a message that will never succeed (undecodable, wrong contract):
 * it goes to the dead-letter subject at once instead of burning its redeliveries.
 */
export class Poison extends VigilError {
  readonly reason: string;

  constructor(reason: string, opts: { code?: string; details?: ErrorDetails; cause?: unknown } = {}) {
    super({ code: opts.code ?? MessagingErrorCode.Poison, message: reason, kind: 'invalid-input', details: opts.details, cause: opts.cause });
    this.reason = reason;
  }
}
