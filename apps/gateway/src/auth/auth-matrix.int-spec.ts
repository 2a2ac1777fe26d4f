// The auth matrix, generated from the route table: every route of the OpenAPI document carries
// the role its @Access declares (x-vigil-role); each must refuse a request with no key (401) and
// with every weaker role (403) - and the document must list every /api route Nest serves.
import { DEFAULT_DATABASE_URL, serviceSchemaName } from '@vigil/config';
import { type ApiKeyRole, generateApiKey, weakerRoles } from '@vigil/contracts';
import { createDataSource } from '@vigil/database';
import { expectEventually, startMigratedService, type MigratedService } from '@vigil/testing';
import { COMPAT_PREFIXES, PUBLIC_PATHS } from '../http/openapi.setup';

interface Operation { 'x-vigil-role'?: ApiKeyRole; security?: unknown[] }
type OpenApi = { openapi: string; info: { title: string; version: string }; paths: Record<string, Record<string, Operation>>; components: { securitySchemes: Record<string, unknown> } };

const METHODS = ['get', 'head', 'post', 'put', 'patch', 'delete'] as const;
const isCompat = (path: string): boolean => COMPAT_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`));

describe('gateway auth matrix and OpenAPI document', () => {
  let running: MigratedService;
  let url: string;
  let doc: OpenApi;
  const keys = {} as Record<ApiKeyRole, string>;

  beforeAll(async () => {
    running = await startMigratedService({ app: 'gateway', env: { LOG_LEVEL: 'warn', GATEWAY_RATE_LIMIT_PER_SECOND: '1000', GATEWAY_RATE_LIMIT_BURST: '10000' } });
    url = running.service.url;
    const db = createDataSource({ url: process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL, schema: serviceSchemaName('gateway', running.schemaPrefix), poolSize: 1 });
    await db.initialize();
    for (const role of ['viewer', 'operator', 'admin', 'bouncer'] as const) {
      const key = generateApiKey();
      await db.query('INSERT INTO api_keys (id, name, role, secret_hash) VALUES ($1, $2, $3, $4)', [key.id, role, role, key.secretHash]);
      keys[role] = key.key;
    }
    await db.destroy();
    await expectEventually(async () => expect((await fetch(`${url}/readyz`)).status).toBe(200), { timeoutMs: 15_000 });
    doc = (await (await fetch(`${url}/api/docs-json`)).json()) as OpenApi;
  }, 60_000);

  afterAll(() => running?.cleanup());

  const routes = (): { method: string; path: string; role: ApiKeyRole | undefined }[] =>
    Object.entries(doc.paths).flatMap(([path, ops]) => METHODS.filter((m) => ops[m]).map((m) => ({ method: m.toUpperCase(), path, role: ops[m]['x-vigil-role'] })));

  const concrete = (path: string): string => path.replace(/\{id\}/g, '00000000-0000-4000-8000-000000000000').replace(/\{[^}]+\}/g, 'x');

  it('is a structurally valid OpenAPI 3 document with both auth schemes, and lists every route the gateway serves', async () => {
    expect(doc.openapi).toMatch(/^3\.\d+\.\d+$/);
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    expect(doc.components.securitySchemes).toMatchObject({ apiKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key' }, bearer: { type: 'http', scheme: 'bearer' } });
    for (const [path, ops] of Object.entries(doc.paths)) {
      expect({ path, served: path.startsWith('/api/v1/') || PUBLIC_PATHS.has(path) || isCompat(path) }).toEqual({ path, served: true });
      for (const m of METHODS) {
        const op = ops[m] as (Operation & { responses?: Record<string, unknown>; operationId?: string; tags?: string[] }) | undefined;
        if (!op) continue;
        expect(op.operationId).toEqual(expect.any(String));
        expect(op.tags?.length).toBeGreaterThan(0);
        expect(Object.keys(op.responses ?? {}).length).toBeGreaterThan(0);
      }
    }
    const listed = routes().map((r) => `${r.method} ${r.path}`).sort();
    expect(listed).toEqual(expect.arrayContaining([
      'GET /api/v1/alerts', 'GET /api/v1/alerts/{id}', 'GET /api/v1/jobs/{id}', 'GET /api/v1/jobs/{id}/errors', 'GET /api/v1/jobs/{id}/results.csv',
      'GET /api/v1/predictions/stats', 'POST /api/v1/flows', 'POST /api/v1/upload/csv',
      'GET /api/v1/decisions', 'POST /api/v1/decisions', 'GET /api/v1/decisions/{id}', 'POST /api/v1/decisions/{id}/revoke',
      'POST /api/v1/decisions/{id}/approve', 'POST /api/v1/decisions/{id}/reject', 'GET /api/v1/simulation', 'PUT /api/v1/simulation',
      'GET /api/v1/allowlist', 'POST /api/v1/allowlist', 'DELETE /api/v1/allowlist', 'GET /api/v1/policies', 'PUT /api/v1/policies', 'DELETE /api/v1/policies',
      'GET /v1/decisions/stream', 'GET /v1/decisions', 'HEAD /v1/decisions',
      'GET /api/v1/models', 'GET /api/v1/models/profile/{name}', 'GET /api/v1/models/{name}/versions', 'POST /api/v1/models/{name}/versions',
      'GET /api/v1/models/{name}/versions/{version}', 'GET /api/v1/models/{name}/versions/{version}/artifact', 'GET /api/v1/models/{name}/aliases',
      'PUT /api/v1/models/{name}/aliases/{alias}', 'POST /api/v1/models/{name}/aliases/{alias}/rollback', 'GET /api/v1/models/{name}/history',
      'GET /api/v1/models/{name}/rollout', 'GET /api/v1/models/{name}/drift',
      'GET /v2', 'GET /v2/models/{name}', 'GET /v2/models/{name}/versions/{version}', 'GET /v2/models/{name}/ready',
      'GET /v2/models/{name}/versions/{version}/ready', 'POST /v2/models/{name}/infer', 'POST /v2/models/{name}/versions/{version}/infer',
    ]));
    // A route Nest serves but the document lacks would escape the matrix: an unknown path is a 404 envelope, a served one is not.
    const unknown = await fetch(`${url}/api/v1/no-such-route`, { headers: { 'x-api-key': keys.admin } });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ code: 'HTTP.NOT_FOUND', correlationId: expect.any(String) });
  });

  it('every route declares a role, and refuses a missing key (401) and every weaker role (403) with the error envelope', async () => {
    const all = routes();
    expect(all.length).toBeGreaterThan(0);
    expect(all.filter((r) => r.role === undefined && !PUBLIC_PATHS.has(r.path))).toEqual([]);
    for (const route of all.filter((r) => !PUBLIC_PATHS.has(r.path))) {
      const target = `${url}${concrete(route.path)}`;
      const missing = await fetch(target, { method: route.method });
      expect({ route, status: missing.status }).toEqual({ route, status: 401 });
      if (route.method !== 'HEAD') expect(await missing.json()).toMatchObject({ code: 'AUTH.MISSING_KEY', message: expect.any(String), details: {}, correlationId: expect.any(String) });
      const bogus = await fetch(target, { method: route.method, headers: { authorization: 'Bearer vgl_0000000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' } });
      expect({ route, status: bogus.status }).toEqual({ route, status: 401 });
      for (const weaker of weakerRoles(route.role as ApiKeyRole)) {
        const res = await fetch(target, { method: route.method, headers: { 'x-api-key': keys[weaker] } });
        expect({ route, weaker, status: res.status }).toEqual({ route, weaker, status: 403 });
        if (route.method !== 'HEAD') expect(await res.json()).toMatchObject({ code: 'AUTH.FORBIDDEN', details: { required: route.role, held: weaker } });
      }
    }
  });

  it('keeps health endpoints and the docs open and sets security headers and a correlation id', async () => {
    for (const path of ['/healthz', '/readyz', '/metrics', '/api/docs-json', '/v2/health/live']) expect((await fetch(`${url}${path}`)).status).toBe(200);
    // The dashboard bundle at / is open too (it holds no data; its API calls carry the user's key), with a self-only CSP.
    const page = await fetch(`${url}/`);
    expect({ status: page.status, type: page.headers.get('content-type'), csp: page.headers.get('content-security-policy') }).toEqual({ status: 200, type: 'text/html; charset=utf-8', csp: expect.stringContaining("default-src 'self'") });
    const res = await fetch(`${url}/api/v1/alerts`, { headers: { 'x-api-key': keys.viewer } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('x-correlation-id')).toEqual(expect.any(String));
  });
});
