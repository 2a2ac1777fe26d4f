import { type IncomingMessage, type ServerResponse } from 'node:http';
import { correlationIdFrom, runWithCorrelationId } from './correlation.context';

export const CORRELATION_HEADER = 'x-correlation-id';

/**
 * HTTP middleware (Express-compatible): adopts the caller's `x-correlation-id` or mints one,
 * echoes it on the response and runs the rest of the request inside it.
 */
export function correlationMiddleware(req: IncomingMessage, res: ServerResponse, next: () => void): void {
  const correlationId = correlationIdFrom(req.headers[CORRELATION_HEADER]);
  res.setHeader(CORRELATION_HEADER, correlationId);
  runWithCorrelationId(correlationId, next);
}
