import { type K8sObject } from './kubectl.fixture';

/** A traffic endpoint: a pod (namespace, labels, named ports) or an address outside the cluster. */
export type Peer =
  | { kind: 'pod'; namespace: string; namespaceLabels: Record<string, string>; labels: Record<string, string>; ports: Record<string, number> }
  | { kind: 'external'; ip: string };

interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }[];
}
interface PolicyPeer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: { cidr: string; except?: string[] };
}
interface PolicyPort {
  protocol?: string;
  port?: number | string;
}
interface PolicyRule {
  from?: PolicyPeer[];
  to?: PolicyPeer[];
  ports?: PolicyPort[];
}
interface NetworkPolicySpec {
  podSelector: LabelSelector;
  policyTypes?: ('Ingress' | 'Egress')[];
  ingress?: PolicyRule[];
  egress?: PolicyRule[];
}

export function selectorMatches(selector: LabelSelector | undefined, labels: Record<string, string>): boolean {
  if (!selector) return true;
  const byLabels = Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
  return byLabels && (selector.matchExpressions ?? []).every((expression) => {
    const present = Object.hasOwn(labels, expression.key);
    switch (expression.operator) {
      case 'In':
        return present && (expression.values ?? []).includes(labels[expression.key] ?? '');
      case 'NotIn':
        return !present || !(expression.values ?? []).includes(labels[expression.key] ?? '');
      case 'Exists':
        return present;
      case 'DoesNotExist':
        return !present;
    }
  });
}

function ipv4ToNumber(ip: string): number {
  return ip.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

function cidrContains(cidr: string, ip: string): boolean {
  const [base = '', bits = '32'] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  const start = Math.floor(ipv4ToNumber(base) / size) * size;
  const value = ipv4ToNumber(ip);
  return value >= start && value < start + size;
}

// A policy peer matches pods (same namespace unless a namespaceSelector says otherwise) or addresses.
function peerMatches(rulePeer: PolicyPeer, policyNamespace: string, peer: Peer): boolean {
  if (rulePeer.ipBlock) {
    return peer.kind === 'external' && cidrContains(rulePeer.ipBlock.cidr, peer.ip) && !(rulePeer.ipBlock.except ?? []).some((c) => cidrContains(c, peer.ip));
  }
  if (peer.kind !== 'pod') return false;
  const namespaceOk = rulePeer.namespaceSelector
    ? selectorMatches(rulePeer.namespaceSelector, peer.namespaceLabels)
    : peer.namespace === policyNamespace;
  return namespaceOk && selectorMatches(rulePeer.podSelector, peer.labels);
}

function portMatches(rulePorts: PolicyPort[] | undefined, destination: Peer, port: number): boolean {
  if (!rulePorts || rulePorts.length === 0) return true;
  return rulePorts.some((rulePort) => {
    if ((rulePort.protocol ?? 'TCP') !== 'TCP') return false;
    if (rulePort.port === undefined) return true;
    if (typeof rulePort.port === 'number') return rulePort.port === port;
    return destination.kind === 'pod' && destination.ports[rulePort.port] === port;
  });
}

function policiesSelecting(policies: K8sObject[], pod: Peer, type: 'Ingress' | 'Egress'): (K8sObject & { spec: NetworkPolicySpec })[] {
  if (pod.kind !== 'pod') return [];
  return (policies as (K8sObject & { spec: NetworkPolicySpec })[]).filter((policy) => {
    const types = policy.spec.policyTypes ?? (policy.spec.egress ? ['Ingress', 'Egress'] : ['Ingress']);
    return types.includes(type) && policy.metadata.namespace === pod.namespace && selectorMatches(policy.spec.podSelector, pod.labels);
  });
}

// One direction: unrestricted if no policy of that type selects the pod, else some rule allows it.
function directionAllows(args: { policies: K8sObject[]; self: Peer; other: Peer; type: 'Ingress' | 'Egress'; destination: Peer; port: number }): boolean {
  if (args.self.kind !== 'pod') return true;
  const selecting = policiesSelecting(args.policies, args.self, args.type);
  if (selecting.length === 0) return true;
  return selecting.some((policy) => {
    const rules = (args.type === 'Ingress' ? policy.spec.ingress : policy.spec.egress) ?? [];
    return rules.some((rule) => {
      const peers = args.type === 'Ingress' ? rule.from : rule.to;
      const peerOk = !peers || peers.length === 0 || peers.some((p) => peerMatches(p, policy.metadata.namespace ?? '', args.other));
      return peerOk && portMatches(rule.ports, args.destination, args.port);
    });
  });
}

/** Whether NetworkPolicies let `source` open a TCP connection to `destination:port`. */
export function connectionAllowed(policies: K8sObject[], edge: { source: Peer; destination: Peer; port: number }): boolean {
  const { source, destination, port } = edge;
  return (
    directionAllows({ policies, self: source, other: destination, type: 'Egress', destination, port }) &&
    directionAllows({ policies, self: destination, other: source, type: 'Ingress', destination, port })
  );
}
