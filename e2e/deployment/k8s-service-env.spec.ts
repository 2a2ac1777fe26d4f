import { SERVICE_PORTS, type ServiceName } from '@vigil/config';
import { type K8sObject, renderOverlay } from './kubectl.fixture';
import { type Container, type PodSpec, type Workload, VIGIL_SERVICES, named, ofKind } from './k8s-objects.fixture';
import { type AppConfigSchema, appConfigSchema, quantityBytes, resolveEnv } from './service-env.fixture';

type Service = K8sObject & { spec: { selector?: Record<string, string>; ports: { port: number }[] } };
interface ParsedConfig {
  port: number;
  natsServers: string[];
  databaseUrl: string;
  [key: string]: unknown;
}

const schemas = new Map<ServiceName, AppConfigSchema>();
beforeAll(async () => {
  for (const service of VIGIL_SERVICES) schemas.set(service, await appConfigSchema(service));
});
function schemaOf(service: ServiceName): AppConfigSchema {
  const found = schemas.get(service);
  if (!found) throw new Error(`no config schema for ${service}`);
  return found;
}

function appContainer(objects: K8sObject[], kind: string, name: string): { pod: PodSpec; app: Container } {
  const pod = named(ofKind<Workload>(objects, kind), name).spec.template.spec;
  const [app] = pod.containers;
  if (!app) throw new Error(`${kind}/${name} has no container`);
  return { pod, app };
}

function parse(service: ServiceName, env: Record<string, string | undefined>): ParsedConfig {
  const parsed = schemaOf(service).schema.safeParse(env);
  expect([service, parsed.error?.issues ?? []]).toEqual([service, []]);
  return parsed.data as ParsedConfig;
}

// Whether `dir` lies on a writable volume of the pod (the root filesystem is read-only).
function onWritableVolume(pod: PodSpec, container: Container, dir: string): { name: string; sizeLimit?: string } | undefined {
  const mount = (container.volumeMounts ?? []).find((m) => dir === m.mountPath || dir.startsWith(`${m.mountPath}/`));
  const volume = pod.volumes?.find((v) => v.name === mount?.name);
  return volume?.emptyDir ? { name: volume.name, sizeLimit: volume.emptyDir['sizeLimit'] as string | undefined } : undefined;
}

describe.each([
  { overlay: 'dev', namespace: 'vigil-dev' },
  { overlay: 'prod', namespace: 'vigil' },
  { overlay: 'prod-nftables', namespace: 'vigil' },
])('service env of $overlay', ({ overlay, namespace }) => {
  let objects: K8sObject[];
  beforeAll(() => {
    objects = renderOverlay(overlay);
  });
  const envOf = (service: ServiceName) => resolveEnv(objects, appContainer(objects, 'Deployment', service).app);

  it("parses under each service's own config schema (apps/*/src/config), on the port it listens on", () => {
    for (const service of VIGIL_SERVICES) {
      const { app } = appContainer(objects, 'Deployment', service);
      expect(app.args).toEqual([service]);
      const config = parse(service, envOf(service).env);
      expect(config.port).toBe(SERVICE_PORTS[service].port);
      expect(app.ports?.map((p) => p.containerPort)).toEqual([SERVICE_PORTS[service].port]);
    }
  });

  it('sets only keys the service reads: a typo or a key meant for another service fails', () => {
    for (const service of VIGIL_SERVICES) {
      const unknown = envOf(service).declared.filter((key) => !schemaOf(service).keys.has(key));
      expect([service, unknown]).toEqual([service, []]);
    }
  });

  it('points every service at the NATS Service and at the database, never at the localhost defaults', () => {
    const services = ofKind<Service>(objects, 'Service');
    for (const service of VIGIL_SERVICES) {
      const config = parse(service, envOf(service).env);
      for (const server of config.natsServers) {
        const { hostname, port } = new URL(server);
        const target = named(services, hostname);
        expect(target.spec.selector).toEqual({ 'app.kubernetes.io/name': 'nats' });
        expect(target.spec.ports.map((p) => p.port)).toContain(Number(port));
      }
      const database = new URL(config.databaseUrl).hostname.split('.')[0] ?? '';
      const clusters = ofKind(objects, 'Cluster').map((c) => `${c.metadata.name}-rw`);
      expect([service, [...services.map((s) => s.metadata.name), ...clusters]]).toEqual([service, expect.arrayContaining([database])]);
    }
  });

  it('lets inference follow the registry, and the registry import the models shipped in the image', () => {
    for (const service of ['detection', 'classification'] as const) {
      const { stage } = parse(service, envOf(service).env) as ParsedConfig & { stage: { modelSource: string; modelsDir: string } };
      expect([service, stage.modelSource, stage.modelsDir]).toEqual([service, 'registry', '/app/models']);
    }
    const registry = parse('model-registry', envOf('model-registry').env);
    expect(registry).toMatchObject({ modelsDir: '/app/models', importOnStart: true });
  });

  it('runs self-healing in full mode with the Kubernetes executor on its own namespace, without nftables', () => {
    const { pod } = appContainer(objects, 'Deployment', 'self-healing');
    const config = parse('self-healing', envOf('self-healing').env) as ParsedConfig & {
      executorMode: string; nftables: { enabled: boolean }; clusterCidrs: string[];
      kubernetes: { enabled: boolean; apiUrl: string; namespace?: string; serviceAccountDir: string };
    };
    expect(config).toMatchObject({ executorMode: 'full', nftables: { enabled: false } });
    expect(config.kubernetes).toMatchObject({ enabled: true, apiUrl: 'https://10.96.0.1:443', serviceAccountDir: '/var/run/secrets/kubernetes.io/serviceaccount' });
    // The namespace comes from the mounted token's folder, so the Role's namespace is the one acted on.
    expect(config.kubernetes.namespace).toBeUndefined();
    expect(pod.automountServiceAccountToken).toBe(true);
    expect(config.clusterCidrs.length).toBeGreaterThan(0);
    expect(ofKind(objects, 'RoleBinding').map((b) => b.metadata.namespace)).toEqual([namespace]);
  });

  it('spools uploads on a volume big enough, behind an Ingress that lets them through', () => {
    const { pod, app } = appContainer(objects, 'Deployment', 'gateway');
    const config = parse('gateway', envOf('gateway').env) as ParsedConfig & { upload: { maxBytes: number; spoolDir: string } };
    const volume = onWritableVolume(pod, app, config.upload.spoolDir);
    expect(volume?.name).toBe('uploads');
    expect(quantityBytes(volume?.sizeLimit ?? '0')).toBeGreaterThanOrEqual(2 * config.upload.maxBytes);
    const [ingress] = ofKind(objects, 'Ingress');
    const bodySize = ingress?.metadata.annotations?.['nginx.ingress.kubernetes.io/proxy-body-size'] ?? '1m';
    // nginx sizes: k and m are binary units.
    expect(quantityBytes(bodySize.replace(/([km])$/, (unit) => (unit === 'k' ? 'Ki' : 'Mi')))).toBeGreaterThanOrEqual(config.upload.maxBytes);
  });
});

describe('the nftables node agent (prod-nftables)', () => {
  it('runs self-healing in nftables-node mode on its own port, with NATS as its only dependency', () => {
    const objects = renderOverlay('prod-nftables');
    const { app } = appContainer(objects, 'DaemonSet', 'nftables-executor');
    const { env, declared } = resolveEnv(objects, app);
    const config = parse('self-healing', env) as ParsedConfig & { executorMode: string; nftables: { enabled: boolean; command: string[] } };
    expect(config).toMatchObject({ executorMode: 'nftables-node', nftables: { enabled: true, command: ['nft'] } });
    expect(declared.filter((key) => !schemaOf('self-healing').keys.has(key))).toEqual([]);
    expect(declared).not.toContain('DATABASE_URL');
    expect(app.envFrom?.map((e) => e.configMapRef?.name ?? e.secretRef?.name)).toEqual([expect.stringMatching(/^vigil-config-[a-z0-9]+$/)]);
    expect(app.ports?.map((p) => p.containerPort)).toEqual([config.port]);
    expect(config.port).not.toBe(SERVICE_PORTS['self-healing'].port);
  });
});
