import { type Fetcher, probeService } from './service-health.service';

const reply = (status: number, body: unknown): ReturnType<Fetcher> => Promise.resolve({ status, json: () => Promise.resolve(body) });

describe('service readiness probe', () => {
  let clock = 0;
  const now = () => (clock += 7);

  it('a 200 from /readyz is ready, with its checks and the time it took', async () => {
    const seen: string[] = [];
    const fetch: Fetcher = (url) => (seen.push(url), reply(200, { status: 'ready', ready: true, checks: [{ name: 'nats', ok: true }, { name: 'database', ok: true }] }));
    expect(await probeService({ service: 'detection', url: 'http://det:9102', timeoutMs: 100, fetch, now })).toEqual({ service: 'detection', url: 'http://det:9102', ready: true, checks: { nats: true, database: true }, latencyMs: 7 });
    expect(seen).toEqual(['http://det:9102/readyz']);
  });

  it('a 503 names the failed checks; no answer says unreachable or timed out', async () => {
    const notReady = await probeService({ service: 'ingestion', url: 'http://i', timeoutMs: 100, now, fetch: () => reply(503, { status: 'not-ready', failed: ['nats'], checks: [{ name: 'nats', ok: false }] }) });
    expect(notReady).toMatchObject({ ready: false, error: 'not ready: nats', checks: { nats: false } });
    const down = await probeService({ service: 'x', url: 'http://x', timeoutMs: 100, now, fetch: () => Promise.reject(new TypeError('fetch failed')) });
    expect(down).toEqual({ service: 'x', url: 'http://x', ready: false, error: 'unreachable', latencyMs: null });
    const slow = await probeService({ service: 'x', url: 'http://x', timeoutMs: 250, now, fetch: () => Promise.reject(Object.assign(new Error('t'), { name: 'TimeoutError' })) });
    expect(slow.error).toBe('no answer within 250 ms');
  });
});
