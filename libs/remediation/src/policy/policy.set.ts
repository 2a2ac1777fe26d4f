import { isRowError, mapLabel, type ContractId, type Policy } from '@vigil/contracts';

const key = (contract: string, attackClass: string): string => `${contract}\u0000${attackClass}`;

/** Stable identity of a policy: contract and attack class. */
export function policyKey(policy: Pick<Policy, 'contract' | 'attackClass'>): string {
  return key(policy.contract, policy.attackClass);
}

/** Later layers win per (contract, attack class): shipped defaults < policy file < stored edits. */
export function layerPolicies(...layers: readonly (readonly Policy[])[]): Policy[] {
  const merged = new Map<string, Policy>();
  for (const layer of layers) for (const policy of layer) merged.set(policyKey(policy), policy);
  return [...merged.values()];
}

/**
 * Resolves the policy for a classified threat. The most specific entry wins: the canonical
 * label, then its family, then the contract's `*`, then the same three under contract `*`.
 * A label the contract calls benign never resolves, whatever the file says.
 */
export class PolicySet {
  private readonly byKey: ReadonlyMap<string, Policy>;

  constructor(readonly policies: readonly Policy[]) {
    this.byKey = new Map(policies.map((p) => [policyKey(p), p]));
  }

  resolve(contract: ContractId, attackClass: string): Policy | undefined {
    const mapped = mapLabel(contract, attackClass);
    if (!isRowError(mapped) && !mapped.isAttack) return undefined;
    const names = isRowError(mapped) ? [attackClass, '*'] : [mapped.label, mapped.family, '*'];
    for (const scope of [contract, '*']) {
      for (const name of names) {
        const policy = this.byKey.get(key(scope, name));
        if (policy) return policy.enabled ? policy : undefined;
      }
    }
    return undefined;
  }
}
