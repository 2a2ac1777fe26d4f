import { Inject, Injectable } from '@nestjs/common';
import { existsSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { DASHBOARD_CONFIG, type DashboardConfig } from '../config/dashboard.config';

/** Paths the dashboard never answers: the API, the CrowdSec stream, the live feed, probes, docs. */
export const RESERVED_PREFIXES = ['/api/', '/api', '/v1/', '/v2/', '/v2', '/ws', '/healthz', '/readyz', '/metrics'] as const;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/** Only what the bundle needs from its own origin; the API and /ws are the same origin. */
export const DASHBOARD_CSP = [
  "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "font-src 'self'",
  "connect-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
].join('; ');

export interface StaticAnswer {
  /** Absolute path of the file to send (the .gz copy when `encoding` is gzip). */
  file: string;
  contentType: string;
  cacheControl: string;
  encoding: 'gzip' | null;
  status: 200;
}

/**
 * Maps a GET to a file of the built dashboard: hashed assets are cached for a year (their name
 * changes with their content), index.html is revalidated every time, and any other page path
 * falls back to index.html (the app routes itself). Null: not the dashboard's to answer.
 */
export function resolveStatic(args: { dir: string; path: string; acceptsGzip: boolean; exists(file: string): boolean }): StaticAnswer | null {
  const path = decodePath(args.path);
  if (path === null || RESERVED_PREFIXES.some((p) => path === p || path.startsWith(p.endsWith('/') ? p : `${p}/`))) return null;
  const relative = normalize(path).replace(/^[/\\]+/, '');
  if (relative.split(/[/\\]/).includes('..')) return null;
  const isAsset = relative.startsWith(`assets${sep}`) || relative.startsWith('assets/');
  const wanted = relative === '' ? 'index.html' : relative;
  let file = join(args.dir, wanted);
  if (!args.exists(file)) {
    // A missing asset is a 404, not the page: a stale index.html must not load HTML as script.
    if (isAsset || extname(wanted) !== '') return null;
    file = join(args.dir, 'index.html');
    if (!args.exists(file)) return null;
  }
  const ext = extname(file);
  const gz = args.acceptsGzip && args.exists(`${file}.gz`);
  return {
    file: gz ? `${file}.gz` : file,
    contentType: CONTENT_TYPES[ext] ?? 'application/octet-stream',
    cacheControl: isAsset && ext !== '.html' ? 'public, max-age=31536000, immutable' : 'no-cache',
    encoding: gz ? 'gzip' : null,
    status: 200,
  };
}

function decodePath(raw: string): string | null {
  try {
    const path = decodeURIComponent(raw.split('?')[0]);
    return path.includes('\0') ? null : path;
  } catch {
    return null;
  }
}

export function acceptsGzip(header: string | string[] | undefined): boolean {
  const value = Array.isArray(header) ? header.join(',') : (header ?? '');
  return /\bgzip\b/i.test(value) && !/\bgzip\s*;\s*q=0(\.0+)?\b/i.test(value);
}

/** The built bundle's folder, checked once per lookup against the disk. */
@Injectable()
export class DashboardStaticService {
  constructor(@Inject(DASHBOARD_CONFIG) private readonly config: DashboardConfig) {}

  get built(): boolean {
    return existsSync(join(this.config.staticDir, 'index.html'));
  }

  resolve(path: string, acceptEncoding: string | string[] | undefined): StaticAnswer | null {
    return resolveStatic({ dir: this.config.staticDir, path, acceptsGzip: acceptsGzip(acceptEncoding), exists: isFile });
  }
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
