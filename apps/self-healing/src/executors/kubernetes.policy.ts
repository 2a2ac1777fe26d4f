import { formatIpNetwork, isSingleAddress, parseIpNetwork } from '@vigil/remediation';
import { type DecisionEntity } from '../decisions/decision.entity';
import { SelfHealingError, SELF_HEALING_ERROR_CODES } from '../self-healing.errors';

export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY_VALUE = 'vigil-self-healing';
export const DECISION_ID_LABEL = 'vigil.io/decision-id';

/** A networking.k8s.io/v1 NetworkPolicy, as much of it as Vigil writes. */
export interface NetworkPolicyObject {
  readonly apiVersion: 'networking.k8s.io/v1';
  readonly kind: 'NetworkPolicy';
  readonly metadata: { name: string; namespace: string; labels: Record<string, string>; annotations: Record<string, string> };
  readonly spec: {
    podSelector: { matchLabels: Record<string, string> };
    policyTypes: ('Ingress' | 'Egress')[];
    ingress?: { from: { ipBlock: { cidr: string; except?: string[] } }[] }[];
  };
}

// Kubernetes label syntax: optional DNS-subdomain prefix and '/', a name of at most 63
// characters; values at most 63 characters of the same alphabet, or empty.
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_PREFIX = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

function validKey(key: string): boolean {
  const slash = key.lastIndexOf('/');
  const name = slash < 0 ? key : key.slice(slash + 1);
  const prefix = slash < 0 ? undefined : key.slice(0, slash);
  return LABEL_NAME.test(name) && (prefix === undefined || (prefix.length <= 253 && LABEL_PREFIX.test(prefix)));
}

/**
 * Parses `key=value[,key=value...]` (equality only). Refuses an empty selector: it would
 * select every pod of the namespace, Vigil's own included.
 */
export function parseLabelSelector(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const part of text.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const eq = part.indexOf('=');
    const key = eq < 0 ? '' : part.slice(0, eq).trim();
    const value = eq < 0 ? '' : part.slice(eq + 1).trim();
    if (!validKey(key) || !LABEL_VALUE.test(value) || key in labels) throw invalidSelector(text);
    labels[key] = value;
  }
  if (Object.keys(labels).length === 0) throw invalidSelector(text);
  return labels;
}

/** Canonical text of a selector (keys sorted), so equal selectors share one open decision. */
export function formatLabelSelector(labels: Readonly<Record<string, string>>): string {
  return Object.keys(labels).sort().map((key) => `${key}=${labels[key]}`).join(',');
}

function invalidSelector(text: string): SelfHealingError {
  return new SelfHealingError({
    code: SELF_HEALING_ERROR_CODES.InvalidAddress,
    message: `not a pod label selector (key=value[,key=value], at least one): ${text.slice(0, 100)}`,
    kind: 'invalid-input',
    details: { value: text.slice(0, 100) },
  });
}

function metadata(decision: DecisionEntity, args: { name: string; namespace: string }): NetworkPolicyObject['metadata'] {
  return {
    name: args.name,
    namespace: args.namespace,
    labels: { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE, [DECISION_ID_LABEL]: decision.id },
    annotations: {
      'vigil.io/scope': decision.scope,
      'vigil.io/value': decision.value,
      'vigil.io/action': decision.action,
      'vigil.io/expires-at': decision.expiresAt.toISOString(),
      'vigil.io/reason': decision.reason.attackClass,
    },
  };
}

export const isolatePolicyName = (id: string): string => `vigil-isolate-${id}`;
export const blockPolicyName = (id: string): string => `vigil-block-${id}`;

/** Selects the pods and allows nothing: with no rules, both directions are denied. */
export function isolatePolicy(decision: DecisionEntity, namespace: string): NetworkPolicyObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: metadata(decision, { name: isolatePolicyName(decision.id), namespace }),
    spec: { podSelector: { matchLabels: parseLabelSelector(decision.value) }, policyTypes: ['Ingress', 'Egress'] },
  };
}

/**
 * NetworkPolicies only allow, so "block this network" for the protected pods is "allow
 * ingress from everywhere except it" (the other address family stays allowed whole).
 */
export function blockPolicy(decision: DecisionEntity, args: { namespace: string; protectedPods: Record<string, string> }): NetworkPolicyObject {
  const network = parseIpNetwork(decision.value);
  const blocked = isSingleAddress(network) ? `${formatIpNetwork(network)}/${network.prefix}` : formatIpNetwork(network);
  const v4 = network.family === 4 ? { cidr: '0.0.0.0/0', except: [blocked] } : { cidr: '0.0.0.0/0' };
  const v6 = network.family === 6 ? { cidr: '::/0', except: [blocked] } : { cidr: '::/0' };
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: metadata(decision, { name: blockPolicyName(decision.id), namespace: args.namespace }),
    spec: { podSelector: { matchLabels: { ...args.protectedPods } }, policyTypes: ['Ingress'], ingress: [{ from: [{ ipBlock: v4 }, { ipBlock: v6 }] }] },
  };
}
