// CORS and security headers on a real gateway process: with an allowlist, a preflight from an
// allowed origin is answered with that origin, the methods and the headers the API uses (the
// API key among them) and a disallowed origin gets no allow-origin; with nothing configured no
// origin is allowed (same-origin only, the default). Every API answer carries helmet's headers.
import { startGatewayStack, type GatewayStack } from '../testing/gateway-stack.fixture';

const ALLOWED = 'https://console.example.com';
const OTHER_ALLOWED = 'http://localhost:5173';
const FOREIGN = 'https://evil.example.net';

const preflight = (stack: GatewayStack, origin: string, path = '/api/v1/upload/csv'): Promise<Response> =>
  fetch(`${stack.url}${path}`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-api-key,content-type' },
  });

const listed = (value: string | null): string[] => (value ?? '').split(',').map((v) => v.trim().toLowerCase()).filter((v) => v !== '');

describe('CORS with an allowlist (real gateway)', () => {
  let stack: GatewayStack;

  beforeAll(async () => {
    stack = await startGatewayStack({ services: [], gatewayEnv: { GATEWAY_CORS_ORIGINS: ` ${ALLOWED}, ${OTHER_ALLOWED} ` } });
  }, 60_000);

  afterAll(() => stack?.stop());

  it('answers a preflight from an allowed origin with that origin, the methods and the API key header', async () => {
    for (const origin of [ALLOWED, OTHER_ALLOWED]) {
      const res = await preflight(stack, origin);
      expect({ origin, status: res.status }).toEqual({ origin, status: 204 });
      expect(res.headers.get('access-control-allow-origin')).toBe(origin);
      expect(listed(res.headers.get('access-control-allow-methods'))).toEqual(expect.arrayContaining(['get', 'post', 'put', 'delete']));
      expect(listed(res.headers.get('access-control-allow-headers'))).toEqual(expect.arrayContaining(['x-api-key', 'authorization', 'content-type']));
      // Keys travel in a header, never in cookies: credentials stay off.
      expect(res.headers.get('access-control-allow-credentials')).toBeNull();
      expect(listed(res.headers.get('vary'))).toContain('origin');
    }
  });

  it('lets the allowed origin read an API answer and the headers clients need (correlation id, Retry-After)', async () => {
    const res = await stack.call('/api/v1/alerts?limit=1', { role: 'viewer', headers: { origin: ALLOWED } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(listed(res.headers.get('access-control-expose-headers'))).toEqual(expect.arrayContaining(['x-correlation-id', 'retry-after', 'location']));
  });

  it('gives a disallowed origin no allow-origin, on the preflight and on the request itself', async () => {
    const res = await preflight(stack, FOREIGN);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const get = await stack.call('/api/v1/alerts?limit=1', { role: 'viewer', headers: { origin: FOREIGN } });
    expect(get.headers.get('access-control-allow-origin')).toBeNull();
    // A look-alike of an allowed origin (prefix, other scheme, other port) is foreign too.
    for (const lookalike of [`${ALLOWED}.evil.net`, ALLOWED.replace('https', 'http'), `${ALLOWED}:8443`]) {
      expect({ lookalike, allow: (await preflight(stack, lookalike)).headers.get('access-control-allow-origin') }).toEqual({ lookalike, allow: null });
    }
  });

  it('sets the security headers on API answers, errors included', async () => {
    for (const res of [await stack.call('/api/v1/alerts?limit=1', { role: 'viewer' }), await stack.call('/api/v1/alerts', { role: null })]) {
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
      expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
      expect(res.headers.get('x-powered-by')).toBeNull();
    }
  });
});

describe('CORS with nothing configured (real gateway)', () => {
  let stack: GatewayStack;

  beforeAll(async () => {
    stack = await startGatewayStack({ services: [] });
  }, 60_000);

  afterAll(() => stack?.stop());

  it('allows no cross-origin caller: preflights and requests carry no allow-origin', async () => {
    for (const origin of [ALLOWED, FOREIGN, 'null']) {
      const res = await preflight(stack, origin, '/api/v1/alerts');
      expect({ origin, allow: res.headers.get('access-control-allow-origin'), methods: res.headers.get('access-control-allow-methods') }).toEqual({ origin, allow: null, methods: null });
      const get = await stack.call('/api/v1/alerts?limit=1', { role: 'viewer', headers: { origin } });
      expect(get.status).toBe(200);
      expect(get.headers.get('access-control-allow-origin')).toBeNull();
    }
  });
});
