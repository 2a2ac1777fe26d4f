import { errors, RequestError, TimeoutError, type Msg, type NatsConnection, type Subscription } from '@nats-io/nats-core';
import { isVigilError, type ErrorDetails } from '@vigil/errors';
import { buildHeaders, correlationIdOf } from './messaging.headers';
import { MessagingError, MessagingErrorCode, RemoteError } from './messaging.errors';
import { silentLogger, type MessagingLogger } from './messaging.logger';

/** The JSON body of every reply: exactly one of `data` or `error`. */
export type ReplyEnvelope<T> = { data: T } | { error: { code: string; message: string; details: ErrorDetails } };

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export interface RequestOptions<T> {
  subject: string;
  payload: unknown;
  timeoutMs: number;
  correlationId?: string;
  /** Validates the reply's `data` (a zod schema's `parse` fits); unchecked if absent. */
  parse?: (data: unknown) => T;
}

/**
 * JSON request over core NATS. Resolves with the responder's `data`; rejects with
 * MESSAGING.TIMEOUT, MESSAGING.NO_RESPONDERS, or the responder's own error code.
 */
export async function request<T>(nc: NatsConnection, opts: RequestOptions<T>): Promise<T> {
  let reply: Msg;
  try {
    reply = await nc.request(opts.subject, encoder.encode(JSON.stringify(opts.payload)), {
      timeout: opts.timeoutMs,
      headers: buildHeaders({ correlationId: opts.correlationId }),
    });
  } catch (cause) {
    throw requestFailure(opts.subject, opts.timeoutMs, cause);
  }
  const envelope = decodeEnvelope<T>(opts.subject, reply.data);
  if ('error' in envelope) throw new RemoteError({ ...envelope.error, subject: opts.subject });
  return opts.parse ? opts.parse(envelope.data) : envelope.data;
}

export interface RequestContext {
  subject: string;
  correlationId: string | undefined;
  msg: Msg;
}

export interface ReplyOptions {
  subject: string;
  /** Replicas of a service share requests through one queue group. */
  queue?: string;
  handler: (payload: unknown, ctx: RequestContext) => Promise<unknown>;
  logger?: MessagingLogger;
}

export interface ReplyServer {
  /** Stops taking requests, waits for the ones in progress to be answered. */
  stop(): Promise<void>;
}

/**
 * Serves JSON requests on a subject (in a queue group when `queue` is set). Other
 * connections see the subscription once it reaches the server: `flush()` before announcing readiness.
 */
export function serveRequests(nc: NatsConnection, opts: ReplyOptions): ReplyServer {
  const logger = opts.logger ?? silentLogger;
  const inFlight = new Set<Promise<void>>();
  const subscription: Subscription = nc.subscribe(opts.subject, {
    queue: opts.queue,
    callback: (err, msg) => {
      if (err) {
        logger.error({ err, subject: opts.subject }, 'reply subscription failed');
        return;
      }
      const p = answer({ msg, handler: opts.handler, logger }).finally(() => inFlight.delete(p));
      inFlight.add(p);
    },
  });
  return {
    stop: async () => {
      // A connection already draining closes its subscriptions itself.
      if (!subscription.isClosed()) await subscription.drain().catch(() => undefined);
      await Promise.all(inFlight);
    },
  };
}

/** Runs a handler on one request and replies with its result or its mapped error. */
export async function answer(args: { msg: Msg; handler: ReplyOptions['handler']; logger: MessagingLogger }): Promise<void> {
  const { msg } = args;
  const ctx: RequestContext = { subject: msg.subject, correlationId: correlationIdOf(msg.headers), msg };
  let envelope: ReplyEnvelope<unknown>;
  try {
    const payload: unknown = msg.data.length === 0 ? undefined : JSON.parse(decoder.decode(msg.data));
    envelope = { data: (await args.handler(payload, ctx)) ?? null };
  } catch (err) {
    envelope = errorEnvelope(err, ctx, args.logger);
  }
  msg.respond(encoder.encode(JSON.stringify(envelope)), { headers: buildHeaders({ correlationId: ctx.correlationId }) });
}

/** VigilErrors cross the wire as they are; anything else becomes a generic internal error. */
export function errorEnvelope(err: unknown, ctx: { subject: string; correlationId: string | undefined }, logger: MessagingLogger): ReplyEnvelope<never> {
  if (isVigilError(err)) return { error: { code: err.code, message: err.message, details: { ...err.details, kind: err.kind } } };
  if (err instanceof SyntaxError) return { error: { code: MessagingErrorCode.BadRequest, message: 'request body is not JSON', details: { kind: 'invalid-input' } } };
  logger.error({ err, subject: ctx.subject, correlationId: ctx.correlationId }, 'request handler failed');
  return { error: { code: MessagingErrorCode.Internal, message: 'internal error', details: { correlationId: ctx.correlationId } } };
}

function requestFailure(subject: string, timeoutMs: number, cause: unknown): MessagingError {
  if (cause instanceof TimeoutError) {
    return new MessagingError({ code: MessagingErrorCode.Timeout, message: `no reply on ${subject} within ${timeoutMs} ms`, kind: 'unavailable', details: { subject, timeoutMs }, cause });
  }
  if ((cause instanceof RequestError && cause.isNoResponders()) || cause instanceof errors.NoRespondersError) {
    return new MessagingError({ code: MessagingErrorCode.NoResponders, message: `nothing is listening on ${subject}`, kind: 'unavailable', details: { subject }, cause });
  }
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new MessagingError({ code: MessagingErrorCode.RequestFailed, message: `request on ${subject} failed: ${reason}`, kind: 'unavailable', details: { subject }, cause });
}

function decodeEnvelope<T>(subject: string, data: Uint8Array): ReplyEnvelope<T> {
  try {
    const parsed = JSON.parse(decoder.decode(data)) as unknown;
    if (typeof parsed === 'object' && parsed !== null && ('data' in parsed || 'error' in parsed)) return parsed as ReplyEnvelope<T>;
  } catch {
    // fall through to the bad-reply error below
  }
  throw new MessagingError({ code: MessagingErrorCode.BadReply, message: `reply on ${subject} is not a Vigil reply envelope`, details: { subject } });
}
