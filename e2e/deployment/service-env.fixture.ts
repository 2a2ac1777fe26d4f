import path from 'node:path';
import { type ServiceName } from '@vigil/config';
import { type z } from 'zod';
import { REPO_ROOT, type K8sObject } from './kubectl.fixture';
import { type Container, decodeSecretValue, ofKind } from './k8s-objects.fixture';

/** A service's own config schema (apps/<service>/src/config) and the env keys it reads. */
export interface AppConfigSchema {
  schema: z.ZodType;
  keys: ReadonlySet<string>;
}

/**
 * Loads `<camelService>ConfigSchema` from apps/<service>/src/config/<service>.config.ts, the
 * schema the service itself parses its env with. Apps have no @vigil door (nothing may import
 * an app), so this test-only loader goes by path: the manifests are checked against the
 * services' current config, not a copy of it.
 */
export async function appConfigSchema(service: ServiceName): Promise<AppConfigSchema> {
  const file = path.join(REPO_ROOT, 'apps', service, 'src', 'config', `${service}.config`);
  const exportName = `${service.replace(/-(\w)/g, (_, letter: string) => letter.toUpperCase())}ConfigSchema`;
  const loaded = (await import(file)) as Record<string, unknown>;
  const schema = loaded[exportName] as (z.ZodType & { in?: { shape?: Record<string, unknown> } }) | undefined;
  const shape = schema?.in?.shape;
  if (!schema || !shape) throw new Error(`${file} exports no ${exportName} (a z.object(...).transform(...))`);
  return { schema, keys: new Set(Object.keys(shape)) };
}

// What the kubelet puts in every container's env even with enableServiceLinks: false.
const KUBELET_ENV = { KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443' };
// The database Secret CloudNativePG creates at run time (prod) cannot be rendered; this is its shape.
const CNPG_URI_SAMPLE = 'postgresql://vigil:generated@vigil-db-rw.vigil:5432/vigil';

/** A container's env as the kubelet would assemble it: `kubelet` keys, ConfigMaps, then `env`. */
export interface ResolvedEnv {
  env: Record<string, string | undefined>;
  /** Keys the manifests set (ConfigMaps and `env`), i.e. not the kubelet's own. */
  declared: string[];
}

export function resolveEnv(objects: K8sObject[], container: Container, owner = 'pod-6d9f7c8b5-x2x7q'): ResolvedEnv {
  const env: Record<string, string | undefined> = { ...KUBELET_ENV };
  const declared = new Set<string>();
  for (const source of container.envFrom ?? []) {
    const ref = source.configMapRef;
    if (!ref) continue;
    const configMap = ofKind<K8sObject & { data?: Record<string, string> }>(objects, 'ConfigMap').find((c) => c.metadata.name === ref.name);
    if (!configMap && !ref.optional) throw new Error(`ConfigMap ${ref.name} is not rendered`);
    Object.assign(env, configMap?.data ?? {});
    for (const key of Object.keys(configMap?.data ?? {})) declared.add(key);
  }
  for (const variable of container.env ?? []) {
    const from = variable.valueFrom;
    declared.add(variable.name);
    if (from?.secretKeyRef) {
      env[variable.name] = decodeSecretValue(objects, from.secretKeyRef) ?? (from.secretKeyRef.name === 'vigil-db-app' ? CNPG_URI_SAMPLE : undefined);
    } else if (from?.fieldRef) {
      env[variable.name] = from.fieldRef.fieldPath === 'spec.nodeName' ? 'node-1' : owner;
    } else {
      env[variable.name] = variable.value;
    }
  }
  return { env, declared: [...declared].sort() };
}

/** Kubernetes quantity (`4Gi`, `512Mi`, `1G`) to bytes. */
export function quantityBytes(quantity: string): number {
  const match = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(quantity);
  if (!match) throw new Error(`not a byte quantity: ${quantity}`);
  const factors: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, k: 1e3, M: 1e6, G: 1e9, T: 1e12 };
  return Number(match[1]) * (factors[match[2] ?? ''] ?? 1);
}
