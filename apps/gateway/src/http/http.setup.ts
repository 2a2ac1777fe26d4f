import { type INestApplication } from '@nestjs/common';
import { WsAdapter } from '@nestjs/platform-ws';
import { LOGGER, type Logger } from '@vigil/observability';
import helmet from 'helmet';
import { type IncomingMessage, type ServerResponse } from 'node:http';
import { type GatewayConfig } from '../config/gateway.config';
import { ApiErrorFilter, sendErrorAnswer, toErrorAnswer } from './api-error.filter';
import { InvalidRequestError, PayloadTooLargeError } from './http.errors';
import { setupOpenApi } from './openapi.setup';

type Next = (err?: unknown) => void;

const STREAMED_BODY_PREFIX = '/api/v1/upload/';
type Middleware = (req: IncomingMessage, res: ServerResponse, next: Next) => void;
interface ExpressLike {
  json(options: { limit: number }): Middleware;
  urlencoded(options: { limit: number; extended: boolean }): Middleware;
}

/**
 * Everything HTTP-wide, applied once before listen: security headers, CORS, body size limits
 * with clear 413s, the error envelope, OpenAPI, the WebSocket adapter.
 */
export function configureHttp(app: INestApplication, config: GatewayConfig): void {
  const logger = app.get<symbol, Logger>(LOGGER);
  app.use(helmet());
  if (config.corsOrigins.length > 0) {
    app.enableCors({
      origin: config.corsOrigins.includes('*') ? true : [...config.corsOrigins],
      allowedHeaders: ['content-type', 'x-api-key', 'authorization', 'x-correlation-id', 'x-content-sha256'],
      exposedHeaders: ['x-correlation-id', 'retry-after', 'location'],
    });
  }
  installBodyParsers(app, { limit: config.jsonLimitBytes, logger });
  app.useGlobalFilters(new ApiErrorFilter(logger));
  app.useWebSocketAdapter(new WsAdapter(app));
  setupOpenApi(app);
}

/**
 * Nest's own body parsers answer an oversize or malformed body with Express's HTML page; ours
 * wrap the same parsers and answer with the error envelope. They carry Nest's names, so Nest
 * does not add its own beside them.
 */
function installBodyParsers(app: INestApplication, args: { limit: number; logger: Logger }): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- express ships no types here; we need only its two parsers
  const express = require('express') as ExpressLike;
  const json = express.json({ limit: args.limit });
  const urlencoded = express.urlencoded({ limit: args.limit, extended: true });
  const wrap = (parser: Middleware): Middleware => (req, res, next) =>
    // Upload routes stream their own body (and answer a wrong type with 415 themselves).
    (req.url ?? '').startsWith(STREAMED_BODY_PREFIX) ? next() : parser(req, res, (err?: unknown) => {
      if (err === undefined) return next();
      sendErrorAnswer(res, toErrorAnswer(parserError(err, args.limit), args.logger));
    });
  const wrappedJson = wrap(json);
  const wrappedUrlencoded = wrap(urlencoded);
  // The names are what Nest looks for (ExpressAdapter.isMiddlewareApplied).
  app.use(function jsonParser(req: IncomingMessage, res: ServerResponse, next: Next) {
    wrappedJson(req, res, next);
  });
  app.use(function urlencodedParser(req: IncomingMessage, res: ServerResponse, next: Next) {
    wrappedUrlencoded(req, res, next);
  });
}

function parserError(err: unknown, limit: number): unknown {
  const type = (err as { type?: string }).type;
  if (type === 'entity.too.large') return new PayloadTooLargeError(limit);
  if (type === 'entity.parse.failed') return new InvalidRequestError(`the body is not valid JSON: ${(err as Error).message}`, {}, 'HTTP.MALFORMED_JSON');
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') return new InvalidRequestError((err as Error).message, {}, 'HTTP.UNSUPPORTED_ENCODING');
  return err;
}
