import { DEFAULT_DATABASE_URL, serviceSchemaName, type ServiceName } from '@vigil/config';
import { type ApiKeyRole, generateApiKey } from '@vigil/contracts';
import { createDataSource } from '@vigil/database';
import { expectEventually, isolatedPipelinePrefix, startMigratedService, type MigratedService } from '@vigil/testing';

/** A real gateway process beside real back-end processes, on one private pipeline prefix, with a key per role. */
export interface GatewayStack {
  readonly url: string;
  readonly prefix: string;
  readonly gateway: MigratedService;
  readonly services: Partial<Record<ServiceName, MigratedService>>;
  readonly keys: Record<ApiKeyRole, string>;
  /** Another key of `role` (e.g. a second bouncer). */
  addKey(role: ApiKeyRole, name: string): Promise<string>;
  /** fetch against the gateway with `role`'s key (or no key with `null`). */
  call(path: string, args?: { role?: ApiKeyRole | null; key?: string; method?: string; body?: unknown; headers?: Record<string, string> }): Promise<Response>;
  stop(): Promise<void>;
}

export async function startGatewayStack(args: { services: ServiceName[]; env?: Partial<Record<ServiceName, Record<string, string>>>; gatewayEnv?: Record<string, string> }): Promise<GatewayStack> {
  const prefix = isolatedPipelinePrefix();
  const services: Partial<Record<ServiceName, MigratedService>> = {};
  const all: MigratedService[] = [];
  try {
    for (const app of args.services) {
      services[app] = await startMigratedService({ app, env: { LOG_LEVEL: 'warn', PIPELINE_PREFIX: prefix, ...args.env?.[app] } });
      all.push(services[app]!);
    }
    const gateway = await startMigratedService({
      app: 'gateway', env: { LOG_LEVEL: 'warn', PIPELINE_PREFIX: prefix, GATEWAY_RATE_LIMIT_PER_SECOND: '1000', GATEWAY_RATE_LIMIT_BURST: '10000', GATEWAY_KEY_CACHE_MS: '0', ...args.gatewayEnv },
    });
    all.push(gateway);
    for (const s of all) await expectEventually(async () => expect((await fetch(`${s.service.url}/readyz`)).status).toBe(200), { timeoutMs: 20_000 });
    const addKey = async (role: ApiKeyRole, name: string): Promise<string> => {
      const db = createDataSource({ url: process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL, schema: serviceSchemaName('gateway', gateway.schemaPrefix), poolSize: 1 });
      await db.initialize();
      try {
        const key = generateApiKey();
        await db.query('INSERT INTO api_keys (id, name, role, secret_hash) VALUES ($1, $2, $3, $4)', [key.id, name, role, key.secretHash]);
        return key.key;
      } finally {
        await db.destroy();
      }
    };
    const keys = {} as Record<ApiKeyRole, string>;
    for (const role of ['viewer', 'operator', 'admin', 'bouncer'] as const) keys[role] = await addKey(role, role);
    const url = gateway.service.url;
    return {
      url, prefix, gateway, services, keys, addKey,
      call: (path, o = {}) => {
        const key = o.key ?? (o.role === null ? undefined : keys[o.role ?? 'admin']);
        const json = o.body !== undefined && !(o.body instanceof FormData);
        return fetch(`${url}${path}`, {
          method: o.method ?? (o.body === undefined ? 'GET' : 'POST'),
          headers: { ...(key ? { 'x-api-key': key } : {}), ...(json ? { 'content-type': 'application/json' } : {}), ...o.headers },
          body: o.body === undefined ? undefined : json ? JSON.stringify(o.body) : (o.body as FormData),
        });
      },
      stop: async () => {
        for (const s of all.reverse()) await s.cleanup();
      },
    };
  } catch (error) {
    for (const s of all.reverse()) await s.cleanup();
    throw error;
  }
}
