import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Inject } from '@nestjs/common';
import { isVigilError } from '@vigil/errors';
import { currentCorrelationId, LOGGER, type Logger, newCorrelationId } from '@vigil/observability';
import { type ServerResponse } from 'node:http';
import { type ErrorEnvelope, HttpRefusal, STATUS_OF_KIND } from './http.errors';

export interface ErrorAnswer {
  status: number;
  body: ErrorEnvelope;
  headers: Record<string, string>;
}

/**
 * Every error as `{code, message, details, correlationId}`. VigilErrors keep their code and
 * details; Nest's own HTTP exceptions (unknown route, wrong method) get an `HTTP.*` code; anything
 * else is a generic 500 whose cause is logged under the correlation id the caller sees.
 */
export function toErrorAnswer(error: unknown, logger: Logger): ErrorAnswer {
  const correlationId = currentCorrelationId() ?? newCorrelationId();
  if (error instanceof HttpRefusal) {
    return { status: error.status, headers: error.headers, body: { code: error.code, message: error.message, details: error.details, correlationId } };
  }
  if (isVigilError(error)) {
    const status = STATUS_OF_KIND[error.kind];
    if (status >= 500) logger.error({ err: error, code: error.code }, 'request failed');
    return { status, headers: {}, body: { code: error.code, message: error.message, details: error.details, correlationId } };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const code = status === HttpStatus.NOT_FOUND ? 'HTTP.NOT_FOUND' : `HTTP.${HttpStatus[status] ?? status}`;
    return { status, headers: {}, body: { code, message: error.message, details: {}, correlationId } };
  }
  logger.error({ err: error }, 'unexpected error');
  return {
    status: HttpStatus.INTERNAL_SERVER_ERROR,
    headers: {},
    body: { code: 'HTTP.INTERNAL', message: 'internal error; quote the correlation id when reporting it', details: {}, correlationId },
  };
}

export function sendErrorAnswer(res: ServerResponse, answer: ErrorAnswer): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
  res.statusCode = answer.status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(answer.body));
}

@Catch()
export class ApiErrorFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  catch(error: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw error;
    sendErrorAnswer(host.switchToHttp().getResponse<ServerResponse>(), toErrorAnswer(error, this.logger));
  }
}
