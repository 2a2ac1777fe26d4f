import { type K8sObject, kustomizeVersion, renderOverlay } from './kubectl.fixture';
import { type Container, type PodSpec, type Probe, type Workload, VIGIL_SERVICES, named, ofKind, podTemplates } from './k8s-objects.fixture';
import { resolveEnv } from './service-env.fixture';

function expectHttpProbe(probe: Probe | undefined, path: string, container: Container): void {
  expect(probe?.httpGet?.path).toBe(path);
  const port = probe?.httpGet?.port;
  const portNumber = typeof port === 'number' ? port : container.ports?.find((p) => p.name === port)?.containerPort;
  expect(container.ports?.map((p) => p.containerPort)).toContain(portNumber);
}

function expectHardened(pod: PodSpec, container: Container): void {
  expect(pod.securityContext?.runAsNonRoot).toBe(true);
  expect(pod.securityContext?.runAsUser).not.toBe(0);
  expect(pod.securityContext?.seccompProfile?.type).toBe('RuntimeDefault');
  expect(container.securityContext).toMatchObject({
    runAsNonRoot: true,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ['ALL'] },
  });
  expect(container.securityContext?.capabilities?.add ?? []).toEqual([]);
  const tmp = container.volumeMounts?.find((m) => m.mountPath === '/tmp');
  expect(pod.volumes?.find((v) => v.name === tmp?.name)?.emptyDir).toBeDefined();
}

function expectLimits(container: Container): void {
  for (const field of ['requests', 'limits'] as const) {
    expect(container.resources?.[field]?.['cpu']).toBeDefined();
    expect(container.resources?.[field]?.['memory']).toBeDefined();
  }
}

describe('k8s manifests', () => {
  it('are rendered by kubectl with kustomize v5', () => {
    expect(kustomizeVersion()).toMatch(/^v5\./);
  });

  describe.each(['dev', 'prod', 'prod-nftables'])('overlay %s', (overlay) => {
    let objects: K8sObject[];
    beforeAll(() => {
      objects = renderOverlay(overlay);
    });

    it('has a Deployment per service, hardened, probed on /healthz and /readyz, with requests and limits', () => {
      const deployments = ofKind<Workload>(objects, 'Deployment');
      expect(deployments.map((d) => d.metadata.name).sort()).toEqual([...VIGIL_SERVICES].sort());
      for (const deployment of deployments) {
        const pod = deployment.spec.template.spec;
        for (const container of [...pod.containers, ...(pod.initContainers ?? [])]) {
          expectHardened(pod, container);
          expectLimits(container);
        }
        const [app] = pod.containers;
        if (!app) throw new Error(`${deployment.metadata.name} has no container`);
        expectHttpProbe(app.livenessProbe, '/healthz', app);
        expectHttpProbe(app.readinessProbe, '/readyz', app);
        expect(pod.topologySpreadConstraints?.map((c) => c.topologyKey)).toContain('topology.kubernetes.io/zone');
        expect(deployment.spec.template.metadata.annotations?.['prometheus.io/scrape']).toBe('true');
        expect(Number(deployment.spec.template.metadata.annotations?.['prometheus.io/port'])).toBe(app.ports?.[0]?.containerPort);
      }
    });

    it('runs migrations in a Job with the services image and database', () => {
      const job = named(ofKind<Workload>(objects, 'Job'), 'vigil-migrate');
      const [migrate] = job.spec.template.spec.containers;
      const [gateway] = named(ofKind<Workload>(objects, 'Deployment'), 'gateway').spec.template.spec.containers;
      expect(migrate?.args).toEqual(['migrate']);
      expect(migrate?.image).toBe(gateway?.image);
      expect(resolveEnv(objects, migrate as Container).env['DATABASE_URL']).toBe(resolveEnv(objects, gateway as Container).env['DATABASE_URL']);
      expectHardened(job.spec.template.spec, migrate as Container);
    });

    it('pins every image to a tag, never latest', () => {
      for (const { owner, template } of podTemplates(objects)) {
        for (const container of [...template.spec.containers, ...(template.spec.initContainers ?? [])]) {
          expect(`${owner.metadata.name}: ${container.image}`).toMatch(/:[\w][\w.-]*$|@sha256:[0-9a-f]{64}$/);
          expect(container.image).not.toMatch(/:latest$/);
        }
      }
    });

    it('has Services and PodDisruptionBudgets that select pods that exist', () => {
      const templates = podTemplates(objects);
      const selects = (selector: Record<string, string>): boolean =>
        templates.some(({ template }) => Object.entries(selector).every(([k, v]) => template.metadata.labels[k] === v));
      for (const service of ofKind<K8sObject & { spec: { selector?: Record<string, string> } }>(objects, 'Service')) {
        expect([service.metadata.name, selects(service.spec.selector ?? {})]).toEqual([service.metadata.name, true]);
      }
      const pdbs = ofKind<K8sObject & { spec: { selector: { matchLabels: Record<string, string> } } }>(objects, 'PodDisruptionBudget');
      for (const pdb of pdbs) expect([pdb.metadata.name, selects(pdb.spec.selector.matchLabels)]).toEqual([pdb.metadata.name, true]);
      expect(pdbs.map((p) => p.metadata.name).sort()).toEqual([...VIGIL_SERVICES, 'nats'].sort());
    });

    it('runs NATS as a 3-node JetStream cluster on persistent volumes behind a headless Service', () => {
      const nats = named(ofKind<Workload & { spec: { serviceName: string; volumeClaimTemplates: unknown[] } }>(objects, 'StatefulSet'), 'nats');
      expect(nats.spec.replicas).toBe(3);
      expect(nats.spec.volumeClaimTemplates).toHaveLength(1);
      const headless = named(ofKind<K8sObject & { spec: { clusterIP?: string } }>(objects, 'Service'), nats.spec.serviceName);
      expect(headless.spec.clusterIP).toBe('None');
      const config = named(ofKind<K8sObject & { data: Record<string, string> }>(objects, 'ConfigMap'), 'nats-config').data['nats.conf'] ?? '';
      expect(config).toMatch(/jetstream\s*\{[^}]*store_dir:\s*\/data/);
      for (const ordinal of [0, 1, 2]) expect(config).toContain(`nats://nats-${ordinal}.${nats.spec.serviceName}:6222`);
    });

    it('mounts a service account token only in self-healing, whose Role manages only NetworkPolicies', () => {
      const mounting = podTemplates(objects)
        .filter(({ template }) => template.spec.automountServiceAccountToken !== false)
        .map(({ owner }) => owner.metadata.name);
      expect(mounting).toEqual(['self-healing']);
      expect(ofKind(objects, 'ClusterRole')).toEqual([]);
      expect(ofKind(objects, 'ClusterRoleBinding')).toEqual([]);
      const [role, ...otherRoles] = ofKind<K8sObject & { rules: { apiGroups: string[]; resources: string[] }[] }>(objects, 'Role');
      expect(otherRoles).toEqual([]);
      expect(role?.rules.map((r) => [r.apiGroups, r.resources])).toEqual([[['networking.k8s.io'], ['networkpolicies']]]);
      const [binding] = ofKind<K8sObject & { roleRef: { name: string }; subjects: { kind: string; name: string }[] }>(objects, 'RoleBinding');
      expect(binding?.roleRef.name).toBe(role?.metadata.name);
      expect(binding?.subjects).toEqual([{ kind: 'ServiceAccount', name: 'vigil-self-healing', namespace: overlay === 'dev' ? 'vigil-dev' : 'vigil' }]);
      const selfHealing = named(ofKind<Workload>(objects, 'Deployment'), 'self-healing').spec.template.spec;
      expect(selfHealing.serviceAccountName).toBe('vigil-self-healing');
    });

    it('exposes only the gateway through an Ingress with TLS from a Secret', () => {
      const [ingress, ...others] = ofKind<K8sObject & { spec: { tls: { secretName: string }[]; rules: { http: { paths: { backend: { service: { name: string } } }[] } }[] } }>(objects, 'Ingress');
      expect(others).toEqual([]);
      expect(ingress?.spec.tls[0]?.secretName).toBeTruthy();
      expect(ingress?.spec.rules.flatMap((r) => r.http.paths.map((p) => p.backend.service.name))).toEqual(['gateway']);
    });
  });
});
