import { ApiClient, queryString } from './api.client';
import { ApiError, describeError, toApiError } from './api.errors';

function answer(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

describe('API client', () => {
  it('sends the key in X-Api-Key, JSON bodies, and leaves blank filters out of the query', async () => {
    const calls: { url: string; init?: RequestInit }[] = [];
    const client = new ApiClient({ key: 'vgl_k', fetch: async (url, init) => (calls.push({ url, init }), answer(200, { ok: true })) });
    await client.get('/api/v1/alerts', { class: 'smurf', sourceIp: '', status: ['active', 'failed'], minConfidence: 0.5, cursor: null });
    await client.post('/api/v1/decisions', { value: '203.0.113.9' });
    expect(calls[0].url).toBe('/api/v1/alerts?class=smurf&status=active%2Cfailed&minConfidence=0.5');
    expect((calls[0].init?.headers as Record<string, string>)['x-api-key']).toBe('vgl_k');
    expect(calls[1].init).toMatchObject({ method: 'POST', body: '{"value":"203.0.113.9"}' });
    expect(queryString({})).toBe('');
  });

  it('maps the error envelope to an ApiError with its code, kind and correlation id; a 401 ends the session', async () => {
    const ended: ApiError[] = [];
    const client = new ApiClient({ key: 'k', onUnauthorized: (e) => ended.push(e), fetch: async () => answer(401, { code: 'AUTH.INVALID_KEY', message: 'unknown or revoked API key', details: {}, correlationId: 'c-1' }) });
    const err = (await client.get('/api/v1/alerts').catch((e: unknown) => e)) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect({ code: err.code, kind: err.kind, status: err.status, correlationId: err.correlationId, endsSession: err.endsSession }).toEqual({ code: 'AUTH.INVALID_KEY', kind: 'unauthorized', status: 401, correlationId: 'c-1', endsSession: true });
    expect(ended).toHaveLength(1);
    expect(describeError(err)).toMatch(/revoked/);
  });

  it('a 403 names the role it needs, a 429 when to retry, a network failure says the gateway is unreachable', async () => {
    const forbidden = toApiError({ status: 403, body: { code: 'AUTH.FORBIDDEN', message: 'x', details: { required: 'admin', held: 'viewer' } } });
    expect(forbidden.kind).toBe('forbidden');
    expect(describeError(forbidden)).toBe("Your key's role (viewer) may not do this; it needs admin.");
    expect(describeError(toApiError({ status: 429, body: { code: 'HTTP.RATE_LIMITED', message: 'slow down' }, retryAfter: '3' }))).toBe('Too many requests; try again in 3 s.');
    const down = new ApiClient({ key: 'k', fetch: async () => { throw new TypeError('fetch failed'); } });
    const err = (await down.get('/x').catch((e: unknown) => e)) as ApiError;
    expect({ code: err.code, kind: err.kind, status: err.status }).toEqual({ code: 'DASHBOARD.NETWORK', kind: 'unavailable', status: 0 });
  });

  it('a body that is not the envelope (a proxy page) still gives a readable error, with the header correlation id', () => {
    const err = toApiError({ status: 502, body: null, correlationId: 'h-9' });
    expect({ code: err.code, kind: err.kind, message: err.message }).toEqual({ code: 'HTTP.502', kind: 'internal', message: 'the gateway answered 502' });
    expect(describeError(err)).toBe('the gateway answered 502 (HTTP.502, correlation id h-9)');
    expect(toApiError({ status: 409, body: { code: 'SELF_HEALING.INVALID_TRANSITION', message: 'expired is final' } }).kind).toBe('conflict');
  });
});
