import { type ErrorKind, VigilError } from '@vigil/errors';

/**
 * A refused or failed gateway call, carrying the gateway's stable code (`AUTH.INVALID_KEY`,
 * `SELF_HEALING.ALLOWLISTED`, ...) and its correlation id so an operator can quote it.
 */
export class ApiError extends VigilError {
  readonly status: number;
  readonly correlationId: string | null;
  readonly retryAfterSeconds: number | null;

  constructor(args: { status: number; code: string; message: string; kind: ErrorKind; details?: Record<string, unknown>; correlationId?: string | null; retryAfterSeconds?: number | null }) {
    super({ code: args.code, message: args.message, kind: args.kind, details: args.details });
    this.status = args.status;
    this.correlationId = args.correlationId ?? null;
    this.retryAfterSeconds = args.retryAfterSeconds ?? null;
  }

  /** The key is gone (revoked, unknown, missing): the session must end. */
  get endsSession(): boolean {
    return this.status === 401;
  }
}

const KIND_BY_STATUS: Record<number, ErrorKind> = { 400: 'invalid-input', 401: 'unauthorized', 403: 'forbidden', 404: 'not-found', 409: 'conflict', 413: 'invalid-input', 415: 'invalid-input', 503: 'unavailable' };

interface Envelope { code?: unknown; message?: unknown; details?: unknown; correlationId?: unknown }

/** Maps an HTTP answer that is not 2xx to an ApiError; a body that is not the envelope still gives a readable error. */
export function toApiError(args: { status: number; body: unknown; retryAfter?: string | null; correlationId?: string | null }): ApiError {
  const envelope: Envelope = typeof args.body === 'object' && args.body !== null ? (args.body as Envelope) : {};
  const code = typeof envelope.code === 'string' ? envelope.code : `HTTP.${args.status}`;
  const retry = args.retryAfter ? Number(args.retryAfter) : NaN;
  return new ApiError({
    status: args.status,
    code,
    message: typeof envelope.message === 'string' ? envelope.message : `the gateway answered ${args.status}`,
    kind: KIND_BY_STATUS[args.status] ?? (args.status >= 500 ? 'internal' : 'invalid-input'),
    details: typeof envelope.details === 'object' && envelope.details !== null ? (envelope.details as Record<string, unknown>) : {},
    correlationId: typeof envelope.correlationId === 'string' ? envelope.correlationId : (args.correlationId ?? null),
    retryAfterSeconds: Number.isFinite(retry) ? retry : null,
  });
}

/** A request that never got an answer (gateway down, network gone). */
export function networkError(cause: unknown): ApiError {
  return new ApiError({ status: 0, code: 'DASHBOARD.NETWORK', message: 'the gateway could not be reached', kind: 'unavailable', details: { cause: String(cause) } });
}

/** What the operator reads: one sentence saying what happened and what to do. */
export function describeError(err: unknown): string {
  if (!(err instanceof ApiError)) return err instanceof Error ? err.message : String(err);
  switch (err.code) {
    case 'AUTH.INVALID_KEY':
      return 'This API key was refused: it is unknown or has been revoked. Log in with a valid key.';
    case 'AUTH.MISSING_KEY':
      return 'No API key was sent. Log in again.';
    case 'AUTH.FORBIDDEN':
      return `Your key's role (${String(err.details.held ?? 'unknown')}) may not do this; it needs ${String(err.details.required ?? 'a stronger role')}.`;
    case 'HTTP.RATE_LIMITED':
      return `Too many requests; try again in ${err.retryAfterSeconds ?? 1} s.`;
    case 'DASHBOARD.NETWORK':
      return 'The gateway could not be reached. Check that it is running.';
    default:
      return err.correlationId ? `${err.message} (${err.code}, correlation id ${err.correlationId})` : `${err.message} (${err.code})`;
  }
}
