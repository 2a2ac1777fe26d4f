/**
 * Base of every error Vigil raises on purpose. `code` is stable (`AREA.REASON`) and is
 * what clients match on; `message` is for people; `details` is structured context
 * (row, field, expected, got) that transports pass through unchanged.
 */
export type ErrorDetails = Record<string, unknown>;

export type ErrorKind = 'invalid-input' | 'not-found' | 'conflict' | 'unauthorized' | 'forbidden' | 'unavailable' | 'internal';

export class VigilError extends Error {
  readonly code: string;
  readonly kind: ErrorKind;
  readonly details: ErrorDetails;

  constructor(args: { code: string; message: string; kind?: ErrorKind; details?: ErrorDetails; cause?: unknown }) {
    super(args.message, args.cause === undefined ? undefined : { cause: args.cause });
    this.name = new.target.name;
    this.code = args.code;
    this.kind = args.kind ?? 'internal';
    this.details = args.details ?? {};
  }

  toJSON(): { code: string; message: string; details: ErrorDetails } {
    return { code: this.code, message: this.message, details: this.details };
  }
}

export function isVigilError(value: unknown): value is VigilError {
  return value instanceof VigilError;
}
