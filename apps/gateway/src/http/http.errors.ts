import { HttpStatus } from '@nestjs/common';
import { type ErrorDetails, type ErrorKind, VigilError } from '@vigil/errors';

/** The one place a VigilError kind becomes an HTTP status (rule 6: mapped once per transport). */
export const STATUS_OF_KIND: Readonly<Record<ErrorKind, number>> = {
  'invalid-input': HttpStatus.BAD_REQUEST,
  'not-found': HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  unauthorized: HttpStatus.UNAUTHORIZED,
  forbidden: HttpStatus.FORBIDDEN,
  unavailable: HttpStatus.SERVICE_UNAVAILABLE,
  internal: HttpStatus.INTERNAL_SERVER_ERROR,
};

/** The body of every error answer. */
export interface ErrorEnvelope {
  code: string;
  message: string;
  details: ErrorDetails;
  correlationId: string;
}

/** An HTTP-level refusal whose status is not one of the kinds (413, 415, 429, 404 route). */
export class HttpRefusal extends VigilError {
  constructor(readonly status: number, args: { code: string; message: string; details?: ErrorDetails; headers?: Record<string, string> }) {
    super({ code: args.code, message: args.message, details: args.details, kind: status >= 500 ? 'internal' : 'invalid-input' });
    this.headers = args.headers ?? {};
  }

  readonly headers: Record<string, string>;
}

export class PayloadTooLargeError extends HttpRefusal {
  constructor(limitBytes: number, what = 'request body') {
    super(HttpStatus.PAYLOAD_TOO_LARGE, {
      code: 'HTTP.PAYLOAD_TOO_LARGE',
      message: `${what} is larger than the limit of ${limitBytes} bytes`,
      details: { limitBytes },
    });
  }
}

export class UnsupportedMediaTypeError extends HttpRefusal {
  constructor(got: string | undefined, accepted: readonly string[]) {
    super(HttpStatus.UNSUPPORTED_MEDIA_TYPE, {
      code: 'HTTP.UNSUPPORTED_MEDIA_TYPE',
      message: `content type ${got ?? '(none)'} is not accepted here; send one of ${accepted.join(', ')}`,
      details: { got: got ?? null, accepted },
    });
  }
}

export class RateLimitedError extends HttpRefusal {
  constructor(retryAfterSeconds: number) {
    super(HttpStatus.TOO_MANY_REQUESTS, {
      code: 'HTTP.RATE_LIMITED',
      message: `too many requests for this API key; retry after ${retryAfterSeconds} s`,
      details: { retryAfterSeconds },
      headers: { 'Retry-After': String(retryAfterSeconds) },
    });
  }
}

export class InvalidRequestError extends VigilError {
  constructor(message: string, details: ErrorDetails = {}, code = 'HTTP.INVALID_REQUEST') {
    super({ code, message, details, kind: 'invalid-input' });
  }
}
