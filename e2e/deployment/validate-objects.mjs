// Validates Kubernetes objects against the API schema of their kind with kubernetes-models
// (built-in kinds) and the @kubernetes-models CRD packages (KEDA, Prometheus Operator,
// CloudNativePG). Those packages are ESM-only while the jest specs run as CommonJS, so the
// specs spawn this script: a JSON array of objects on stdin, a JSON report on stdout:
//   { validated: ["apps/v1 Deployment", ...], failures: [{ object, reason, errors? }] }
// An object whose apiVersion/kind no package models is a failure, never a silent pass.

// API group -> the package that models it. Core groups come from kubernetes-models.
const CRD_PACKAGES = {
  'keda.sh': '@kubernetes-models/keda',
  'monitoring.coreos.com': '@kubernetes-models/prometheus-operator',
  'postgresql.cnpg.io': '@kubernetes-models/cloudnative-pg',
};
const CORE_GROUPS = new Set([
  '', 'admissionregistration.k8s.io', 'apps', 'autoscaling', 'batch', 'coordination.k8s.io', 'discovery.k8s.io',
  'networking.k8s.io', 'node.k8s.io', 'policy', 'rbac.authorization.k8s.io', 'scheduling.k8s.io', 'storage.k8s.io',
]);

function modulePath(apiVersion, kind) {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  if (!/^[A-Za-z0-9]+$/.test(kind) || !/^v\d+((alpha|beta)\d+)?$/.test(version ?? '')) return undefined;
  const pkg = CORE_GROUPS.has(group) ? 'kubernetes-models' : CRD_PACKAGES[group];
  if (!pkg) return undefined;
  return `${pkg}/${group === '' ? '' : `${group}/`}${version}/${kind}`;
}

async function modelClass(apiVersion, kind) {
  const path = modulePath(apiVersion, kind);
  if (!path) return undefined;
  try {
    const model = (await import(path))[kind];
    // A module of that name that models another type does not count.
    return model && model.apiVersion === apiVersion && model.kind === kind ? model : undefined;
  } catch (error) {
    if (error?.code === 'ERR_PACKAGE_PATH_NOT_EXPORTED' || error?.code === 'ERR_MODULE_NOT_FOUND') return undefined;
    throw error;
  }
}

// The API server decodes `[]byte` fields with Go's base64 decoder, which skips newlines; kustomize
// wraps long Secret values at 76 columns. The schema's `byte` format does not allow them.
function normalise(object) {
  if (object.apiVersion !== 'v1' || !['Secret', 'ConfigMap'].includes(object.kind)) return object;
  const field = object.kind === 'Secret' ? 'data' : 'binaryData';
  if (!object[field]) return object;
  const unwrapped = Object.fromEntries(Object.entries(object[field]).map(([k, v]) => [k, typeof v === 'string' ? v.replace(/[\r\n]/g, '') : v]));
  return { ...object, [field]: unwrapped };
}

async function validateAll(objects) {
  const validated = new Set();
  const failures = [];
  for (const object of objects) {
    const ref = `${object?.apiVersion} ${object?.kind} ${object?.metadata?.namespace ?? ''}/${object?.metadata?.name ?? ''}`;
    const Model = typeof object?.apiVersion === 'string' && typeof object?.kind === 'string' ? await modelClass(object.apiVersion, object.kind) : undefined;
    if (!Model) {
      failures.push({ object: ref, reason: 'unknown kind: no schema for this apiVersion/kind' });
      continue;
    }
    try {
      new Model(normalise(object)).validate();
      validated.add(`${object.apiVersion} ${object.kind}`);
    } catch (error) {
      const errors = (error.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword} ${JSON.stringify(e.params ?? {})}`);
      failures.push({ object: ref, reason: 'schema', errors: errors.length > 0 ? errors : [String(error.message ?? error)] });
    }
  }
  return { validated: [...validated].sort(), failures };
}

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const input = JSON.parse(Buffer.concat(chunks).toString('utf8'));
if (!Array.isArray(input)) throw new TypeError('expected a JSON array of Kubernetes objects on stdin');
process.stdout.write(`${JSON.stringify(await validateAll(input))}\n`);
