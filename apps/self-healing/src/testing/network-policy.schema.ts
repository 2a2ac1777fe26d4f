import { isIP } from 'node:net';
import { networkContains, parseIpNetwork } from '@vigil/remediation';

/**
 * The networking.k8s.io/v1 NetworkPolicy as the API server checks it, for tests: the
 * structural schema of the OpenAPI definitions (io.k8s.api.networking.v1.NetworkPolicy and
 * what it references: field names, types, required fields, enums; unknown fields refused as
 * with fieldValidation=Strict) plus the API's own validation of the values (names, label
 * syntax, CIDRs, one kind of peer).
 */
type Schema =
  | { readonly type: 'string'; readonly enum?: readonly string[] }
  | { readonly type: 'integer' | 'boolean' | 'intOrString' }
  | { readonly type: 'array'; readonly items: Schema }
  | { readonly type: 'map'; readonly values: Schema }
  | { readonly type: 'object'; readonly properties: Readonly<Record<string, Schema>>; readonly required?: readonly string[] };

const str: Schema = { type: 'string' };
const strings: Schema = { type: 'array', items: str };
const stringMap: Schema = { type: 'map', values: str };
const obj = (properties: Record<string, Schema>, required: string[] = []): Schema => ({ type: 'object', properties, required });

const labelSelector = obj({
  matchLabels: stringMap,
  matchExpressions: { type: 'array', items: obj({ key: str, operator: { type: 'string', enum: ['In', 'NotIn', 'Exists', 'DoesNotExist'] }, values: strings }, ['key', 'operator']) },
});
const peer = obj({ ipBlock: obj({ cidr: str, except: strings }, ['cidr']), namespaceSelector: labelSelector, podSelector: labelSelector });
const port = obj({ port: { type: 'intOrString' }, endPort: { type: 'integer' }, protocol: { type: 'string', enum: ['TCP', 'UDP', 'SCTP'] } });
const objectMeta = obj({
  name: str, generateName: str, namespace: str, labels: stringMap, annotations: stringMap, uid: str, resourceVersion: str,
  generation: { type: 'integer' }, creationTimestamp: str, deletionTimestamp: str, deletionGracePeriodSeconds: { type: 'integer' },
  finalizers: strings, selfLink: str,
  ownerReferences: { type: 'array', items: obj({ apiVersion: str, kind: str, name: str, uid: str, controller: { type: 'boolean' }, blockOwnerDeletion: { type: 'boolean' } }, ['apiVersion', 'kind', 'name', 'uid']) },
  managedFields: { type: 'array', items: obj({ apiVersion: str, fieldsType: str, fieldsV1: { type: 'map', values: str }, manager: str, operation: str, subresource: str, time: str }) },
});
export const networkPolicySchema: Schema = obj({
  apiVersion: { type: 'string', enum: ['networking.k8s.io/v1'] },
  kind: { type: 'string', enum: ['NetworkPolicy'] },
  metadata: objectMeta,
  spec: obj({
    podSelector: labelSelector,
    policyTypes: { type: 'array', items: { type: 'string', enum: ['Ingress', 'Egress'] } },
    ingress: { type: 'array', items: obj({ from: { type: 'array', items: peer }, ports: { type: 'array', items: port } }) },
    egress: { type: 'array', items: obj({ to: { type: 'array', items: peer }, ports: { type: 'array', items: port } }) },
  }, ['podSelector']),
}, ['apiVersion', 'kind', 'metadata', 'spec']);

function structural(value: unknown, schema: Schema, path: string, errors: string[]): void {
  const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
  switch (schema.type) {
    case 'string':
      if (typeof value !== 'string') errors.push(`${path}: expected string`);
      else if (schema.enum && !schema.enum.includes(value)) errors.push(`${path}: Unsupported value "${value}": supported values: ${schema.enum.join(', ')}`);
      return;
    case 'integer':
      if (!Number.isInteger(value)) errors.push(`${path}: expected integer`);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') errors.push(`${path}: expected boolean`);
      return;
    case 'intOrString':
      if (!Number.isInteger(value) && typeof value !== 'string') errors.push(`${path}: expected integer or string`);
      return;
    case 'array':
      if (!Array.isArray(value)) errors.push(`${path}: expected array`);
      else value.forEach((item, i) => structural(item, schema.items, `${path}[${i}]`, errors));
      return;
    case 'map':
      if (!isObject) errors.push(`${path}: expected object`);
      else for (const [k, v] of Object.entries(value)) structural(v, schema.values, `${path}.${k}`, errors);
      return;
    case 'object':
      if (!isObject) {
        errors.push(`${path}: expected object`);
        return;
      }
      for (const key of schema.required ?? []) if (!(key in value)) errors.push(`${path}.${key}: Required value`);
      for (const [k, v] of Object.entries(value)) {
        const field = schema.properties[k];
        if (field) structural(v, field, `${path}.${k}`, errors);
        else errors.push(`${path}: unknown field "${k}"`);
      }
  }
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

function validCidr(text: string): boolean {
  const [address = '', prefix] = text.split('/');
  return isIP(address) !== 0 && prefix !== undefined && /^\d{1,3}$/.test(prefix) && Number(prefix) <= (isIP(address) === 4 ? 32 : 128);
}

interface PolicyShape {
  metadata: { name?: string; labels?: Record<string, string> };
  spec: { ingress?: { from?: PeerShape[] }[]; egress?: { to?: PeerShape[] }[] };
}
interface PeerShape { ipBlock?: { cidr: string; except?: string[] }; podSelector?: unknown; namespaceSelector?: unknown }

function semantic(policy: PolicyShape, errors: string[]): void {
  const name = policy.metadata.name ?? '';
  if (name.length > 253 || !DNS_SUBDOMAIN.test(name)) errors.push(`metadata.name: Invalid value "${name}"`);
  for (const [k, v] of Object.entries(policy.metadata.labels ?? {})) {
    if (!QUALIFIED_NAME.test(k)) errors.push(`metadata.labels: Invalid key "${k}"`);
    if (!LABEL_VALUE.test(v)) errors.push(`metadata.labels.${k}: Invalid value "${v}"`);
  }
  const peers = [...(policy.spec.ingress ?? []).flatMap((r) => r.from ?? []), ...(policy.spec.egress ?? []).flatMap((r) => r.to ?? [])];
  for (const p of peers) {
    if (p.ipBlock && (p.podSelector || p.namespaceSelector)) errors.push('peer: may not specify both ipBlock and another peer');
    if (!p.ipBlock && !p.podSelector && !p.namespaceSelector) errors.push('peer: must specify a peer');
    if (!p.ipBlock) continue;
    if (!validCidr(p.ipBlock.cidr)) {
      errors.push(`ipBlock.cidr: Invalid value "${p.ipBlock.cidr}"`);
      continue;
    }
    for (const ex of p.ipBlock.except ?? []) {
      const inside = validCidr(ex) && (() => {
        const outer = parseIpNetwork(p.ipBlock!.cidr);
        const inner = parseIpNetwork(ex);
        return outer.family === inner.family && inner.prefix > outer.prefix && networkContains(outer, inner);
      })();
      if (!inside) errors.push(`ipBlock.except: Invalid value "${ex}": must be a strict subset of cidr ${p.ipBlock.cidr}`);
    }
  }
}

/** Every problem the API server would report for this object (empty: it would accept it). */
export function validateNetworkPolicy(value: unknown): string[] {
  const errors: string[] = [];
  structural(value, networkPolicySchema, 'NetworkPolicy', errors);
  if (errors.length === 0) semantic(value as PolicyShape, errors);
  return errors;
}
