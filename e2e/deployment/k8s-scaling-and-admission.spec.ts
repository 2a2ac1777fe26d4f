import path from 'node:path';
import { pipelineTopology } from '@vigil/contracts';
import { type K8sObject, REPO_ROOT, renderOverlay } from './kubectl.fixture';
import { type Workload, named, ofKind } from './k8s-objects.fixture';

type Autoscaler = K8sObject & { spec: { scaleTargetRef: { kind?: string; name: string } } };
type ScaledObject = Autoscaler & {
  spec: { minReplicaCount: number; maxReplicaCount: number; triggers: { type: string; metadata: Record<string, string> }[] };
};
type AdmissionPolicy = K8sObject & { spec: { validations: { expression: string }[]; matchConditions: { expression: string }[] } };

const INFERENCE = ['classification', 'detection'];
// Where each inference service declares its durable pull consumer and input stream: the
// ScaledObjects must name exactly these (a renamed durable would leave KEDA reading nothing).
const STAGE_FILES: Record<string, [string, string]> = {
  detection: ['apps/detection/src/flow-scoring/detection.stage', 'detectionStage'],
  classification: ['apps/classification/src/threat-classification/classification.stage', 'classificationStage'],
};

async function consumerOf(service: string): Promise<{ stream: string; consumer: string }> {
  const [file, exportName] = STAGE_FILES[service] ?? [];
  if (!file || !exportName) throw new Error(`no stage file for ${service}`);
  // Apps have no @vigil door; this test reads the stage declaration by path.
  const stage = ((await import(path.join(REPO_ROOT, file))) as Record<string, { durable: string; input: 'FLOWS' | 'DETECTIONS' }>)[exportName];
  if (!stage) throw new Error(`${file} exports no ${exportName}`);
  return { stream: pipelineTopology('').streams[stage.input].name, consumer: stage.durable };
}

function targets(objects: K8sObject[], kind: string): string[] {
  return ofKind<Autoscaler>(objects, kind).map((a) => a.spec.scaleTargetRef.name).sort();
}

function expectTargetsExist(objects: K8sObject[], kind: string): void {
  const deployments = ofKind(objects, 'Deployment').map((d) => d.metadata.name);
  for (const autoscaler of ofKind<Autoscaler>(objects, kind)) {
    expect(autoscaler.spec.scaleTargetRef.kind ?? 'Deployment').toBe('Deployment');
    expect(deployments).toContain(autoscaler.spec.scaleTargetRef.name);
  }
}

describe('inference autoscaling', () => {
  it('dev scales detection and classification, and nothing else, with HPAs on existing Deployments', () => {
    const dev = renderOverlay('dev');
    expect(targets(dev, 'HorizontalPodAutoscaler')).toEqual(INFERENCE);
    expectTargetsExist(dev, 'HorizontalPodAutoscaler');
    expect(ofKind(dev, 'ScaledObject')).toEqual([]);
  });

  it('prod scales them with KEDA on their JetStream consumer lag, and no second HPA fights KEDA', async () => {
    const prod = renderOverlay('prod');
    expect(targets(prod, 'ScaledObject')).toEqual(INFERENCE);
    expectTargetsExist(prod, 'ScaledObject');
    expect(targets(prod, 'HorizontalPodAutoscaler')).toEqual([]);
    const nats = named(ofKind<Workload & { spec: { serviceName: string } }>(prod, 'StatefulSet'), 'nats');
    for (const scaled of ofKind<ScaledObject>(prod, 'ScaledObject')) {
      const lag = scaled.spec.triggers.find((t) => t.type === 'nats-jetstream');
      const expected = await consumerOf(scaled.spec.scaleTargetRef.name);
      expect(lag?.metadata).toMatchObject({ ...expected, account: '$G' });
      // KEDA runs in its own namespace and reaches the stream leader as <pod>.<endpoint>.
      expect(lag?.metadata['natsServerMonitoringEndpoint']).toBe(`${nats.spec.serviceName}.${nats.metadata.namespace}.svc.cluster.local:8222`);
      expect(Number(lag?.metadata['lagThreshold'])).toBeGreaterThan(0);
      expect(scaled.spec.minReplicaCount).toBeGreaterThanOrEqual(2);
      expect(scaled.spec.maxReplicaCount).toBeGreaterThan(scaled.spec.minReplicaCount);
    }
  });
});

describe('prod overlay', () => {
  let prod: K8sObject[];
  beforeAll(() => {
    prod = renderOverlay('prod');
  });

  it('runs PostgreSQL as a CloudNativePG cluster and reads DATABASE_URL from its app Secret', () => {
    const [cluster] = ofKind<K8sObject & { spec: { instances: number } }>(prod, 'Cluster');
    expect(cluster?.apiVersion).toBe('postgresql.cnpg.io/v1');
    expect(cluster?.spec.instances).toBeGreaterThanOrEqual(3);
    expect(ofKind(prod, 'StatefulSet').map((s) => s.metadata.name)).toEqual(['nats']);
    for (const workload of [...ofKind<Workload>(prod, 'Deployment'), ...ofKind<Workload>(prod, 'Job')]) {
      const url = workload.spec.template.spec.containers[0]?.env?.find((e) => e.name === 'DATABASE_URL');
      expect(url?.valueFrom?.secretKeyRef).toEqual({ name: `${cluster?.metadata.name}-app`, key: 'uri' });
    }
    expect(ofKind(prod, 'Secret')).toEqual([]);
  });

  it('scrapes every service with a ServiceMonitor', () => {
    const [monitor] = ofKind<K8sObject & { spec: { selector: { matchLabels: Record<string, string> }; endpoints: { port: string; path: string }[] } }>(prod, 'ServiceMonitor');
    expect(monitor?.spec.endpoints).toEqual([expect.objectContaining({ port: 'http', path: '/metrics' })]);
    const scraped = ofKind<K8sObject & { spec: { ports: { name: string }[] } }>(prod, 'Service').filter((s) =>
      Object.entries(monitor?.spec.selector.matchLabels ?? {}).every(([k, v]) => s.metadata.labels?.[k] === v),
    );
    expect(scraped.map((s) => s.metadata.name).sort()).toEqual(ofKind(prod, 'Deployment').map((d) => d.metadata.name).sort());
    for (const service of scraped) expect(service.spec.ports.map((p) => p.name)).toContain('http');
  });

  it('admits self-healing writes only to NetworkPolicies labelled as its own', () => {
    const [policy] = ofKind<AdmissionPolicy>(prod, 'ValidatingAdmissionPolicy');
    const [binding] = ofKind<K8sObject & { spec: { policyName: string; validationActions: string[] } }>(prod, 'ValidatingAdmissionPolicyBinding');
    expect(policy?.metadata.namespace).toBeUndefined();
    expect(binding?.metadata.namespace).toBeUndefined();
    expect(binding?.spec).toEqual({ policyName: policy?.metadata.name, validationActions: ['Deny'] });
    expect(policy?.spec.matchConditions.map((c) => c.expression).join(' ')).toContain(':vigil-self-healing');
    const validations = policy?.spec.validations.map((v) => v.expression).join('\n') ?? '';
    expect(validations).toContain("object.metadata.labels['app.kubernetes.io/managed-by'] == 'vigil-self-healing'");
    expect(validations).toContain("oldObject.metadata.labels['app.kubernetes.io/managed-by'] == 'vigil-self-healing'");
  });
});

describe('nftables executor component', () => {
  it('runs on every node in the host network with NET_ADMIN as its only capability', () => {
    const objects = renderOverlay('prod-nftables');
    const daemonSet = named(ofKind<Workload>(objects, 'DaemonSet'), 'nftables-executor');
    const pod = daemonSet.spec.template.spec;
    const [executor] = pod.containers;
    expect(pod.hostNetwork).toBe(true);
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(executor?.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'], add: ['NET_ADMIN'] },
    });
    expect(executor?.livenessProbe?.httpGet?.path).toBe('/healthz');
    expect(executor?.readinessProbe?.httpGet?.path).toBe('/readyz');
    // Only this overlay relaxes Pod Security; prod itself stays `restricted`.
    const enforce = (list: K8sObject[]): string | undefined => ofKind(list, 'Namespace')[0]?.metadata.labels?.['pod-security.kubernetes.io/enforce'];
    expect(enforce(objects)).toBe('privileged');
    expect(enforce(renderOverlay('prod'))).toBe('restricted');
  });
});
