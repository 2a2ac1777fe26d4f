import { type K8sObject, renderOverlay } from './kubectl.fixture';
import { VIGIL_SERVICES, ofKind, podTemplates } from './k8s-objects.fixture';
import { type Peer, connectionAllowed } from './network-policy.fixture';

type PodPeer = Extract<Peer, { kind: 'pod' }>;

function namespacePeer(namespace: string, labels: Record<string, string>, ports: Record<string, number> = {}): PodPeer {
  return { kind: 'pod', namespace, namespaceLabels: { 'kubernetes.io/metadata.name': namespace }, labels, ports };
}

/** One peer per workload of the overlay (host-network pods are outside NetworkPolicy's reach). */
function workloadPeers(objects: K8sObject[], namespace: string): Map<string, PodPeer> {
  const peers = new Map<string, PodPeer>();
  for (const { owner, template } of podTemplates(objects)) {
    if (template.spec.hostNetwork) continue;
    const ports = Object.fromEntries(template.spec.containers.flatMap((c) => c.ports ?? []).map((p) => [p.name ?? String(p.containerPort), p.containerPort]));
    peers.set(owner.metadata.name, namespacePeer(namespace, template.metadata.labels, ports));
  }
  // CloudNativePG's instance pods are made by its operator; this is how it labels them.
  if (ofKind(objects, 'Cluster').length > 0) peers.set('vigil-db', namespacePeer(namespace, { 'cnpg.io/cluster': 'vigil-db' }, { postgresql: 5432 }));
  return peers;
}

function allowedEdges(policies: K8sObject[], peers: Map<string, PodPeer>): string[] {
  const edges: string[] = [];
  for (const [sourceName, source] of peers) {
    for (const [destinationName, destination] of peers) {
      for (const port of new Set([...Object.values(destination.ports), 5432])) {
        if (connectionAllowed(policies, { source, destination, port })) edges.push(`${sourceName} -> ${destinationName}:${port}`);
      }
    }
  }
  return edges.sort();
}

describe.each([
  { overlay: 'dev', namespace: 'vigil-dev', database: 'postgres' },
  { overlay: 'prod', namespace: 'vigil', database: 'vigil-db' },
  { overlay: 'prod-nftables', namespace: 'vigil', database: 'vigil-db' },
])('NetworkPolicies of $overlay', ({ overlay, namespace, database }) => {
  let policies: K8sObject[];
  let peers: Map<string, PodPeer>;
  beforeAll(() => {
    const objects = renderOverlay(overlay);
    policies = ofKind(objects, 'NetworkPolicy');
    peers = workloadPeers(objects, namespace);
  });
  const peer = (name: string): PodPeer => {
    const found = peers.get(name);
    if (!found) throw new Error(`no workload ${name}`);
    return found;
  };

  it('deny all traffic by default', () => {
    const defaultDeny = policies.find((p) => JSON.stringify(p['spec']) === JSON.stringify({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] }));
    expect(defaultDeny?.metadata.namespace).toBe(namespace);
  });

  it('allow exactly the edges of the architecture between the pods of the namespace', () => {
    const expected = [
      ...VIGIL_SERVICES.map((service) => `${service} -> nats:4222`),
      ...[...VIGIL_SERVICES, 'vigil-migrate'].map((client) => `${client} -> ${database}:5432`),
      'nats -> nats:6222',
      ...(database === 'vigil-db' ? ['vigil-db -> vigil-db:5432'] : []),
    ].sort();
    expect(allowedEdges(policies, peers)).toEqual(expected);
  });

  // Models move over NATS (registry request/reply, activation events, artifact download), and the
  // stages keep only their (empty) Postgres schema for readiness: no HTTP between services.
  it('let detection and classification reach NATS and Postgres only, the registry through NATS', () => {
    for (const stage of ['detection', 'classification']) {
      const reachable = allowedEdges(policies, peers).filter((edge) => edge.startsWith(`${stage} -> `));
      expect(reachable).toEqual([`${stage} -> ${database}:5432`, `${stage} -> nats:4222`].sort());
      const registry = peer('model-registry');
      expect(connectionAllowed(policies, { source: peer(stage), destination: registry, port: registry.ports['http'] ?? 0 })).toBe(false);
    }
  });

  it('let the outside world reach the gateway and nothing else', () => {
    const outside: Peer = { kind: 'external', ip: '203.0.113.7' };
    const otherNamespace = namespacePeer('someone-else', { app: 'curious' });
    for (const source of [outside, otherNamespace]) {
      expect(connectionAllowed(policies, { source, destination: peer('gateway'), port: 8080 })).toBe(true);
      expect(connectionAllowed(policies, { source, destination: peer('detection'), port: 9102 })).toBe(false);
      expect(connectionAllowed(policies, { source, destination: peer('nats'), port: 4222 })).toBe(false);
      expect(connectionAllowed(policies, { source, destination: peer(database), port: 5432 })).toBe(false);
    }
  });

  it('let Prometheus scrape every service and KEDA read NATS monitoring', () => {
    const prometheus = namespacePeer('monitoring', { 'app.kubernetes.io/name': 'prometheus' });
    for (const service of VIGIL_SERVICES) {
      const destination = peer(service);
      expect([service, connectionAllowed(policies, { source: prometheus, destination, port: destination.ports['http'] ?? 0 })]).toEqual([service, true]);
    }
    const keda = namespacePeer('keda', { app: 'keda-operator' });
    expect(connectionAllowed(policies, { source: keda, destination: peer('nats'), port: 8222 })).toBe(true);
    expect(connectionAllowed(policies, { source: keda, destination: peer('nats'), port: 4222 })).toBe(false);
  });

  it('let every pod resolve names, and only self-healing reach the Kubernetes API', () => {
    const dns = namespacePeer('kube-system', { 'k8s-app': 'kube-dns' });
    const apiServer: Peer = { kind: 'external', ip: '10.96.0.1' };
    for (const [name, source] of peers) {
      expect([name, connectionAllowed(policies, { source, destination: dns, port: 53 })]).toEqual([name, true]);
      const reachesApi = connectionAllowed(policies, { source, destination: apiServer, port: 443 });
      expect([name, reachesApi]).toEqual([name, name === 'self-healing' || name === 'vigil-db']);
    }
  });
});
