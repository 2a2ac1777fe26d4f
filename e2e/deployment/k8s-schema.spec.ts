import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { type K8sObject, renderOverlay } from './kubectl.fixture';

interface ValidationReport {
  validated: string[];
  failures: { object: string; reason: string; errors?: string[] }[];
}

// kubernetes-models and its CRD packages are ESM-only; jest runs CommonJS, so a child Node
// process does the validation (e2e/deployment/validate-objects.mjs).
function validate(objects: unknown[]): ValidationReport {
  const result = spawnSync(process.execPath, [path.join(__dirname, 'validate-objects.mjs')], {
    input: JSON.stringify(objects),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`validate-objects.mjs failed (${result.status}): ${result.stderr}`);
  return JSON.parse(result.stdout) as ValidationReport;
}

const CRDS = ['keda.sh/v1alpha1 ScaledObject', 'monitoring.coreos.com/v1 ServiceMonitor', 'postgresql.cnpg.io/v1 Cluster'];
const ADMISSION = ['admissionregistration.k8s.io/v1 ValidatingAdmissionPolicy', 'admissionregistration.k8s.io/v1 ValidatingAdmissionPolicyBinding'];

describe.each([
  { overlay: 'dev', expectedKinds: ['apps/v1 Deployment', 'apps/v1 StatefulSet', 'autoscaling/v2 HorizontalPodAutoscaler', 'v1 Secret'] },
  { overlay: 'prod', expectedKinds: ['apps/v1 Deployment', ...CRDS, ...ADMISSION] },
  { overlay: 'prod-nftables', expectedKinds: ['apps/v1 DaemonSet', ...CRDS, ...ADMISSION] },
])('rendered objects of $overlay', ({ overlay, expectedKinds }) => {
  it('every one validates against the Kubernetes API or CRD schema of its kind', () => {
    const objects = renderOverlay(overlay);
    const report = validate(objects);
    expect(report.failures).toEqual([]);
    const kinds = [...new Set(objects.map((o) => `${o.apiVersion} ${o.kind}`))].sort();
    expect(report.validated).toEqual(kinds);
    expect(report.validated).toEqual(expect.arrayContaining(expectedKinds));
  });
});

describe('the schema validator', () => {
  const deployment = (replicas: unknown): K8sObject => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'broken' },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'x' } },
      template: { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'x', image: 'vigil:0.1.0' }] } },
    },
  });

  it('accepts a well-formed object and rejects a Deployment with replicas "two"', () => {
    expect(validate([deployment(2)])).toEqual({ validated: ['apps/v1 Deployment'], failures: [] });
    expect(validate([deployment('two')]).failures).toEqual([
      { object: 'apps/v1 Deployment /broken', reason: 'schema', errors: [expect.stringMatching(/^\/spec\/replicas must be integer/)] },
    ]);
  });

  it('rejects a Secret value that is not base64, while accepting one wrapped as kustomize wraps it', () => {
    const secret = (value: string) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { url: value } });
    expect(validate([secret('cG9zdGdyZXM6Ly92aWdpbA==\n')]).failures).toEqual([]);
    expect(validate([secret('postgres://vigil')]).failures).toEqual([expect.objectContaining({ object: 'v1 Secret /s', reason: 'schema' })]);
  });

  it('rejects a broken CRD object and a container without a name', () => {
    const scaled = { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name: 's' }, spec: { triggers: [{ type: 'cpu' }] } };
    const nameless = deployment(1);
    (nameless['spec'] as { template: { spec: { containers: object[] } } }).template.spec.containers = [{ image: 'vigil:0.1.0' }];
    const { failures } = validate([scaled, nameless]);
    expect(failures.map((f) => f.object)).toEqual(['keda.sh/v1alpha1 ScaledObject /s', 'apps/v1 Deployment /broken']);
    expect(failures[0]?.errors?.join('\n')).toContain('scaleTargetRef');
    expect(failures[1]?.errors?.join('\n')).toContain('name');
  });

  it('fails an object of a kind it has no schema for instead of passing it', () => {
    const unknown = [
      { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } },
      { apiVersion: 'apps/v1', kind: 'Deploymnet', metadata: { name: 'typo' } },
      { apiVersion: 'keda.sh/v1', kind: 'ScaledObject', metadata: { name: 'wrong-version' } },
    ];
    expect(validate(unknown)).toEqual({
      validated: [],
      failures: unknown.map((o) => ({ object: `${o.apiVersion} ${o.kind} /${o.metadata.name}`, reason: 'unknown kind: no schema for this apiVersion/kind' })),
    });
  });
});
