import { Injectable, type NestMiddleware } from '@nestjs/common';
import { createReadStream } from 'node:fs';
import { type IncomingMessage, type ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { DASHBOARD_CSP, DashboardStaticService } from './dashboard-static.service';

/**
 * Serves the built dashboard at `/` before routing: unauthenticated (the bundle holds no data;
 * every API call it makes carries the user's key), GET and HEAD only, everything else falls
 * through to the API and its 404 envelope.
 */
@Injectable()
export class DashboardStaticMiddleware implements NestMiddleware {
  constructor(private readonly statics: DashboardStaticService) {}

  use(req: IncomingMessage & { originalUrl?: string }, res: ServerResponse, next: (err?: unknown) => void): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const answer = this.statics.resolve(req.originalUrl ?? req.url ?? '/', req.headers['accept-encoding']);
    if (!answer) return next();
    res.statusCode = answer.status;
    res.setHeader('content-type', answer.contentType);
    res.setHeader('cache-control', answer.cacheControl);
    res.setHeader('content-security-policy', DASHBOARD_CSP);
    res.setHeader('vary', 'accept-encoding');
    if (answer.encoding) res.setHeader('content-encoding', answer.encoding);
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    pipeline(createReadStream(answer.file), res).catch((err: unknown) => {
      if (!res.headersSent) next(err);
      else res.destroy(err as Error);
    });
  }
}
