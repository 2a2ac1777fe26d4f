// Rate limits per API key, end to end: a real gateway process (real NATS and Postgres) with a
// small token bucket (1 token/s, burst 3) refuses a key past its burst with 429, the error
// envelope and Retry-After; another key keeps its own bucket; the limited key recovers once the
// bucket refills.
import { randomUUID } from 'node:crypto';
import { expectEventually } from '@vigil/testing';
import { startGatewayStack, type GatewayStack } from '../testing/gateway-stack.fixture';

const BURST = 3;
const PER_SECOND = 1;
// A viewer route that needs no back end: an unknown job is 404 JOBS.NOT_FOUND once auth and the limit let it through.
const route = (): string => `/api/v1/jobs/${randomUUID()}`;

describe('rate limit per API key (real gateway)', () => {
  let stack: GatewayStack;

  beforeAll(async () => {
    stack = await startGatewayStack({ services: [], gatewayEnv: { GATEWAY_RATE_LIMIT_PER_SECOND: String(PER_SECOND), GATEWAY_RATE_LIMIT_BURST: String(BURST) } });
  }, 60_000);

  afterAll(() => stack?.stop());

  it('answers a key past its burst with 429, the error envelope and Retry-After; another key is unaffected; the key recovers after the window', async () => {
    const started = Date.now();
    const answers = await Promise.all(Array.from({ length: 10 }, () => stack.call(route(), { role: 'viewer' })));
    const elapsedSeconds = (Date.now() - started) / 1000;
    const passed = answers.filter((r) => r.status === 404);
    const limited = answers.filter((r) => r.status === 429);
    expect(passed.length + limited.length).toBe(answers.length);
    // The bucket holds BURST tokens and refills PER_SECOND a second while the requests are in flight.
    expect(passed.length).toBeGreaterThanOrEqual(BURST);
    expect(passed.length).toBeLessThanOrEqual(BURST + Math.floor(elapsedSeconds * PER_SECOND));
    expect(limited.length).toBeGreaterThan(0);

    const refusal = limited[0];
    expect(refusal.headers.get('retry-after')).toBe('1');
    expect(refusal.headers.get('content-type')).toContain('application/json');
    expect(await refusal.json()).toEqual({
      code: 'HTTP.RATE_LIMITED', message: expect.stringContaining('retry after 1 s'), details: { retryAfterSeconds: 1 }, correlationId: expect.any(String),
    });
    expect(await passed[0].json()).toMatchObject({ code: 'JOBS.NOT_FOUND' });

    // Another key has its own bucket: the operator key passes while the viewer key is still limited.
    const other = await stack.call(route(), { role: 'operator' });
    expect(other.status).toBe(404);
    expect((await stack.call(route(), { role: 'viewer' })).status).toBe(429);

    // Within Retry-After (plus scheduling slack) the bucket has a token again.
    await expectEventually(async () => expect((await stack.call(route(), { role: 'viewer' })).status).toBe(404), { timeoutMs: 3_000, intervalMs: 100 });
  });

  it('counts only authenticated requests: a missing key is 401, not a spent token', async () => {
    const anonymous = await Promise.all(Array.from({ length: BURST + 2 }, () => stack.call(route(), { role: null })));
    expect(anonymous.map((r) => r.status)).toEqual(Array(BURST + 2).fill(401));
    const admin = await Promise.all(Array.from({ length: BURST }, () => stack.call(route(), { role: 'admin' })));
    expect(admin.map((r) => r.status)).toEqual(Array(BURST).fill(404));
  });
});
