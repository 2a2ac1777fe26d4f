import { type DecisionEntity } from '../decisions/decision.entity';
import { type DecisionExecutor } from './decision.executor';
import { kubeFailure, type KubernetesApi, type KubeResponse } from './kubernetes.api';
import {
  blockPolicy, blockPolicyName, isolatePolicy, isolatePolicyName, MANAGED_BY_LABEL, MANAGED_BY_VALUE, type NetworkPolicyObject,
} from './kubernetes.policy';

export interface KubernetesExecutorOptions {
  readonly namespace: string;
  /** Pods protected by CIDR blocks; undefined: ip/range decisions are left to other executors. */
  readonly protectedPods: Record<string, string> | undefined;
}

const FIELD_MANAGER = 'vigil-self-healing';

/**
 * Enforces decisions as NetworkPolicies in its own namespace: `pod` decisions (a label
 * selector) are isolated in both directions; `ip`/`range` bans become an "everything but this
 * network" ingress policy on the protected pods. Server-side apply makes every write an
 * idempotent create-or-update; the sweeper deletes policies at expiry (Kubernetes has no
 * timeout of its own) and start-up reconciles by the managed-by label.
 */
export class KubernetesExecutor implements DecisionExecutor {
  readonly name = 'kubernetes';

  constructor(private readonly api: KubernetesApi, private readonly opts: KubernetesExecutorOptions) {}

  /** The policy a decision needs, if any: throttle and alert have no NetworkPolicy form. */
  policyFor(decision: DecisionEntity): NetworkPolicyObject | undefined {
    if (decision.action !== 'ban' && decision.action !== 'isolate') return undefined;
    if (decision.scope === 'pod') return isolatePolicy(decision, this.opts.namespace);
    if (!this.opts.protectedPods) return undefined;
    return blockPolicy(decision, { namespace: this.opts.namespace, protectedPods: this.opts.protectedPods });
  }

  async reconcile(enforced: readonly DecisionEntity[]): Promise<void> {
    const desired = enforced.map((d) => this.policyFor(d)).filter((p): p is NetworkPolicyObject => p !== undefined);
    const keep = new Set(desired.map((p) => p.metadata.name));
    for (const name of await this.managedNames()) if (!keep.has(name)) await this.remove(name);
    for (const policy of desired) await this.put(policy);
  }

  async apply(decision: DecisionEntity): Promise<void> {
    const policy = this.policyFor(decision);
    if (policy) await this.put(policy);
  }

  async withdraw(decision: DecisionEntity): Promise<void> {
    // Either name may exist (the action may have changed); deleting a missing one is fine.
    await this.remove(isolatePolicyName(decision.id));
    await this.remove(blockPolicyName(decision.id));
  }

  /** Names of the policies Vigil manages in the namespace. */
  async managedNames(): Promise<string[]> {
    const selector = encodeURIComponent(`${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE}`);
    const res = await this.api.call({ method: 'GET', path: `${this.collection()}?labelSelector=${selector}` });
    expectOk(res, 'list NetworkPolicies');
    const items = (res.body as { items?: { metadata?: { name?: string } }[] }).items ?? [];
    return items.map((i) => i.metadata?.name).filter((n): n is string => typeof n === 'string');
  }

  private async put(policy: NetworkPolicyObject): Promise<void> {
    const res = await this.api.call({
      method: 'PATCH',
      path: `${this.collection()}/${policy.metadata.name}?fieldManager=${FIELD_MANAGER}&force=true`,
      body: policy,
      contentType: 'application/apply-patch+yaml',
    });
    expectOk(res, `apply NetworkPolicy ${policy.metadata.name}`);
  }

  private async remove(name: string): Promise<void> {
    const res = await this.api.call({ method: 'DELETE', path: `${this.collection()}/${name}` });
    if (res.status !== 404) expectOk(res, `delete NetworkPolicy ${name}`);
  }

  private collection(): string {
    return `/apis/networking.k8s.io/v1/namespaces/${encodeURIComponent(this.opts.namespace)}/networkpolicies`;
  }
}

function expectOk(res: KubeResponse, what: string): void {
  if (res.status >= 200 && res.status < 300) return;
  const message = (res.body as { message?: string } | undefined)?.message ?? JSON.stringify(res.body ?? '').slice(0, 300);
  throw kubeFailure(`${what}: HTTP ${res.status}: ${message}`);
}
