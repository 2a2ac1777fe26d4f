import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SERVICE_NAMES, type ServiceName } from '@vigil/config';
import { REPO_ROOT, yamlFileToData } from './kubectl.fixture';
import { type AppConfigSchema, appConfigSchema } from './service-env.fixture';

interface ComposeService {
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test?: string[]; disable?: boolean };
  read_only?: boolean;
  cap_drop?: string[];
}
interface Compose {
  services: Record<string, ComposeService>;
  volumes: Record<string, unknown>;
}

const compose = yamlFileToData('docker/compose.yaml', (file) => readFileSync(path.join(REPO_ROOT, file), 'utf8')) as unknown as Compose;
// What compose itself does with `${VAR:-default}` when VAR is unset.
const interpolate = (value: string): string => value.replace(/\$\{\w+:-([^}]*)\}/g, '$1');

function service(name: string): ComposeService {
  const found = compose.services[name];
  if (!found) throw new Error(`compose.yaml has no service ${name}`);
  return found;
}

describe('docker/compose.yaml', () => {
  it('runs NATS, PostgreSQL, the migration one-shot and the six services', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['migrate', 'nats', 'postgres', ...SERVICE_NAMES].sort());
  });

  it('persists JetStream and PostgreSQL in named volumes', () => {
    const nats = service('nats');
    expect(nats.command).toEqual(expect.arrayContaining(['--jetstream', '--store_dir=/data']));
    expect(nats.volumes).toContain('nats-data:/data');
    expect(service('postgres').volumes).toContain('postgres-data:/var/lib/postgresql/data');
    expect(Object.keys(compose.volumes).sort()).toEqual(['gateway-uploads', 'nats-data', 'postgres-data']);
  });

  it('starts every service only after the migration exited 0 and its dependencies are healthy', () => {
    expect(service('migrate').command).toEqual(['migrate']);
    expect(service('migrate').depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    for (const name of SERVICE_NAMES) {
      expect([name, service(name).depends_on]).toEqual([
        name,
        {
          migrate: { condition: 'service_completed_successfully' },
          nats: { condition: 'service_healthy' },
          postgres: { condition: 'service_healthy' },
        },
      ]);
    }
  });

  it('gives each service its own image selection, a healthcheck, hardening and a config its schema accepts', async () => {
    const schemas = new Map<ServiceName, AppConfigSchema>();
    for (const name of SERVICE_NAMES) schemas.set(name, await appConfigSchema(name));
    for (const name of SERVICE_NAMES) {
      const definition = service(name);
      expect(definition.image).toBe(service('migrate').image);
      expect(interpolate(definition.image ?? '')).not.toMatch(/:latest$|^[^:]+$/);
      expect(definition.environment?.['VIGIL_SERVICE']).toBe(name);
      expect(definition.healthcheck?.test).toEqual(['CMD', 'node', '/app/docker/healthcheck.js']);
      expect(definition).toMatchObject({ read_only: true, cap_drop: ['ALL'] });
      const env = Object.fromEntries(Object.entries(definition.environment ?? {}).map(([key, value]) => [key, interpolate(value)]));
      const schema = schemas.get(name);
      const parsed = schema?.schema.safeParse(env);
      expect([name, parsed?.error?.issues ?? []]).toEqual([name, []]);
      expect((parsed?.data as { natsServers?: string[] } | undefined)?.natsServers).toEqual(['nats://nats:4222']);
      // VIGIL_SERVICE is the entrypoint's; every other key must be one the service reads.
      const unknown = Object.keys(env).filter((key) => key !== 'VIGIL_SERVICE' && !schema?.keys.has(key));
      expect([name, unknown]).toEqual([name, []]);
    }
    expect(service('migrate').healthcheck).toEqual({ disable: true });
  });

  it('spools gateway uploads on a volume the image prepares for its user, not in the /tmp tmpfs', () => {
    const gateway = service('gateway');
    const spool = gateway.environment?.['GATEWAY_UPLOAD_SPOOL_DIR'];
    expect(gateway.volumes).toEqual([`gateway-uploads:${spool}`]);
    expect(readFileSync(path.join(REPO_ROOT, 'docker', 'Dockerfile'), 'utf8')).toContain(`mkdir -p ${spool} && chown 1000:1000 ${spool}`);
  });

  it("publishes only the gateway's port", () => {
    const published = Object.entries(compose.services).filter(([, s]) => (s.ports ?? []).length > 0);
    expect(published.map(([name, s]) => [name, s.ports?.map(interpolate)])).toEqual([['gateway', ['8080:8080']]]);
  });
});
