import { type K8sObject } from './kubectl.fixture';

/** The parts of a pod template the deployment specs read. */
export interface Probe {
  httpGet?: { path: string; port: string | number; host?: string };
  exec?: { command: string[] };
}
export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string }; configMapKeyRef?: { name: string; key: string }; fieldRef?: { fieldPath: string } };
}
export interface Container {
  name: string;
  image: string;
  args?: string[];
  env?: EnvVar[];
  envFrom?: { configMapRef?: { name: string; optional?: boolean }; secretRef?: { name: string; optional?: boolean } }[];
  ports?: { name?: string; containerPort: number }[];
  startupProbe?: Probe;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: {
    runAsNonRoot?: boolean;
    runAsUser?: number;
    allowPrivilegeEscalation?: boolean;
    readOnlyRootFilesystem?: boolean;
    capabilities?: { drop?: string[]; add?: string[] };
    seccompProfile?: { type: string };
  };
  volumeMounts?: { name: string; mountPath: string }[];
}
export interface PodSpec {
  serviceAccountName?: string;
  automountServiceAccountToken?: boolean;
  hostNetwork?: boolean;
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number; seccompProfile?: { type: string } };
  topologySpreadConstraints?: { topologyKey: string; labelSelector: { matchLabels: Record<string, string> } }[];
  containers: Container[];
  initContainers?: Container[];
  volumes?: { name: string; emptyDir?: Record<string, unknown> }[];
}
export interface PodTemplate {
  metadata: { labels: Record<string, string>; annotations?: Record<string, string> };
  spec: PodSpec;
}
export type Workload = K8sObject & { spec: { replicas?: number; selector: { matchLabels: Record<string, string> }; template: PodTemplate } };

export const VIGIL_SERVICES = ['gateway', 'ingestion', 'detection', 'classification', 'model-registry', 'self-healing'] as const;

export function ofKind<T extends K8sObject = K8sObject>(objects: K8sObject[], kind: string): T[] {
  return objects.filter((object) => object.kind === kind) as T[];
}

export function named<T extends K8sObject>(objects: T[], name: string): T {
  const found = objects.find((object) => object.metadata.name === name);
  if (!found) throw new Error(`no object named ${name} among ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`);
  return found;
}

/** Every pod template: Deployments, StatefulSets, DaemonSets and Jobs. */
export function podTemplates(objects: K8sObject[]): { owner: K8sObject; template: PodTemplate }[] {
  return objects
    .filter((object) => ['Deployment', 'StatefulSet', 'DaemonSet', 'Job'].includes(object.kind))
    .map((owner) => ({ owner, template: (owner as Workload).spec.template }));
}

export function decodeSecretValue(objects: K8sObject[], ref: { name: string; key: string }): string | undefined {
  const secret = ofKind<K8sObject & { data?: Record<string, string> }>(objects, 'Secret').find((s) => s.metadata.name === ref.name);
  const encoded = secret?.data?.[ref.key];
  return encoded === undefined ? undefined : Buffer.from(encoded, 'base64').toString('utf8');
}
