import { join } from 'node:path';
import { acceptsGzip, resolveStatic } from './dashboard-static.service';

const DIR = '/srv/dashboard';
const FILES = new Set(['index.html', 'index.html.gz', 'assets/main-AB12.js', 'assets/main-AB12.js.gz', 'assets/main-CD34.css'].map((f) => join(DIR, f)));
const lookup = (path: string, gzip = false) => resolveStatic({ dir: DIR, path, acceptsGzip: gzip, exists: (f) => FILES.has(f) });

describe('dashboard static files', () => {
  it('serves index.html at / and hashed assets with their types; assets are immutable, the page is revalidated', () => {
    expect(lookup('/')).toEqual({ file: join(DIR, 'index.html'), contentType: 'text/html; charset=utf-8', cacheControl: 'no-cache', encoding: null, status: 200 });
    expect(lookup('/assets/main-AB12.js')).toMatchObject({ contentType: 'text/javascript; charset=utf-8', cacheControl: 'public, max-age=31536000, immutable' });
    expect(lookup('/assets/main-CD34.css?v=1')).toMatchObject({ file: join(DIR, 'assets/main-CD34.css'), contentType: 'text/css; charset=utf-8' });
  });

  it('sends the gzip copy when the browser accepts it and one exists', () => {
    expect(lookup('/assets/main-AB12.js', true)).toMatchObject({ file: join(DIR, 'assets/main-AB12.js.gz'), encoding: 'gzip', contentType: 'text/javascript; charset=utf-8' });
    expect(lookup('/assets/main-CD34.css', true)).toMatchObject({ encoding: null });
    expect([acceptsGzip('gzip, deflate, br'), acceptsGzip('br'), acceptsGzip('gzip;q=0'), acceptsGzip(undefined)]).toEqual([true, false, false, false]);
  });

  it('page paths fall back to index.html, but a missing asset or file is a 404 (null), never HTML as script', () => {
    expect(lookup('/alerts')).toMatchObject({ file: join(DIR, 'index.html') });
    expect(lookup('/assets/main-OLD.js')).toBeNull();
    expect(lookup('/favicon.ico')).toBeNull();
  });

  it('never answers the API, the CrowdSec stream, the live feed or the probes, nor escapes its folder', () => {
    for (const path of ['/api', '/api/v1/alerts', '/api/docs', '/v1/decisions/stream', '/v2/health/live', '/ws', '/healthz', '/readyz', '/metrics']) expect({ path, answer: lookup(path) }).toEqual({ path, answer: null });
    expect(lookup('/../../etc/passwd')).toMatchObject({ file: join(DIR, 'index.html') });
    expect(lookup('/assets/%2e%2e/%2e%2e/secret.js')).toBeNull();
    expect(lookup('/%E0%A4%A')).toBeNull();
  });
});
