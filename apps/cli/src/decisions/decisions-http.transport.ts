import { VigilError } from '@vigil/errors';
import { GatewayApiClient } from '../upload/gateway-api.client';
import { type DecisionsRequest, type DecisionsTransport } from './decisions.transport';

type Payload = Record<string, unknown>;
interface Route { method: string; path: string; body?: Payload; unwrap?: (answer: unknown) => unknown }

const enc = encodeURIComponent;
const query = (q: Record<string, unknown>): string => {
  const parts = Object.entries(q).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${enc(Array.isArray(v) ? v.join(',') : String(v))}`);
  return parts.length === 0 ? '' : `?${parts.join('&')}`;
};

/** Each self-healing request as the gateway route that serves it (docs/api.md). */
function routeOf(name: DecisionsRequest, p: Payload): Route {
  const id = enc(String(p['id'] ?? ''));
  switch (name) {
    case 'listDecisions': return { method: 'GET', path: `/api/v1/decisions${query({ status: p['status'], action: p['action'], value: p['value'], limit: p['limit'], offset: p['offset'] })}`, unwrap: (a) => (a as { items: unknown[] }).items };
    case 'getDecision': return { method: 'GET', path: `/api/v1/decisions/${id}` };
    case 'createDecision': return { method: 'POST', path: '/api/v1/decisions', body: { scope: p['scope'], value: p['value'], action: p['action'], durationSeconds: p['durationSeconds'], origin: p['origin'], reason: p['reason'] } };
    case 'approveDecision': return { method: 'POST', path: `/api/v1/decisions/${id}/approve`, body: { reason: p['reason'] } };
    case 'rejectDecision': return { method: 'POST', path: `/api/v1/decisions/${id}/reject`, body: { reason: p['reason'] } };
    case 'revokeDecision': return { method: 'POST', path: `/api/v1/decisions/${id}/revoke`, body: { reason: p['reason'] } };
    case 'getSimulation': return { method: 'GET', path: '/api/v1/simulation' };
    case 'setSimulation': return { method: 'PUT', path: '/api/v1/simulation', body: { enabled: p['enabled'], reason: p['reason'] } };
    case 'listAllowlist': return { method: 'GET', path: '/api/v1/allowlist' };
    case 'addAllowlist': return { method: 'POST', path: '/api/v1/allowlist', body: { cidr: p['cidr'], note: p['note'] } };
    case 'removeAllowlist': return { method: 'DELETE', path: `/api/v1/allowlist${query({ cidr: p['cidr'] })}` };
    case 'listPolicies': return { method: 'GET', path: '/api/v1/policies' };
    case 'upsertPolicy': return { method: 'PUT', path: '/api/v1/policies', body: p['policy'] as Payload };
    case 'deletePolicy': return { method: 'DELETE', path: `/api/v1/policies${query({ contract: p['contract'], attackClass: p['attackClass'] })}` };
    case 'detectorHealth':
    case 'decisionStream':
      throw new VigilError({ code: 'CLI.NOT_ON_GATEWAY', kind: 'invalid-input', message: `${name} is not served by the gateway's decision routes` });
  }
}

/**
 * `vigil decisions` through the gateway's REST API (VIGIL_URL, VIGIL_API_KEY): the audit
 * trail names the API key, plus the CLI's actor sent as `X-Vigil-Actor`.
 */
export class HttpDecisionsTransport implements DecisionsTransport {
  private readonly api: GatewayApiClient;

  constructor(env: NodeJS.ProcessEnv) {
    this.api = new GatewayApiClient(env);
  }

  async call<T>(name: DecisionsRequest, payload: unknown): Promise<T> {
    const p = (payload ?? {}) as Payload;
    const route = routeOf(name, p);
    const headers: Record<string, string> = {};
    if (typeof p['actor'] === 'string') headers['x-vigil-actor'] = p['actor'];
    if (route.body !== undefined) headers['content-type'] = 'application/json';
    const res = await this.api.fetch(route.path, { method: route.method, headers: this.api.headers(headers), body: route.body === undefined ? undefined : JSON.stringify(route.body) });
    const answer = await this.api.json<unknown>(res);
    return (route.unwrap ? route.unwrap(answer) : answer) as T;
  }

  async close(): Promise<void> {
    // fetch keeps no connection the CLI must close
  }
}

/** The gateway when VIGIL_URL or VIGIL_API_KEY is set; NATS straight to self-healing otherwise. */
export function usesGateway(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env['VIGIL_URL'] || env['VIGIL_API_KEY']);
}
