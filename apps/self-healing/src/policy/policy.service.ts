import { Inject, Injectable } from '@nestjs/common';
import { type ContractId, type Policy } from '@vigil/contracts';
import { PolicySet, defaultPolicies, layerPolicies, loadPolicyFile } from '@vigil/remediation';
import { CLOCK, SELF_HEALING_CONFIG, type Clock } from '../config/self-healing.tokens';
import { type SelfHealingConfig } from '../config/self-healing.config';
import { SelfHealingError, SELF_HEALING_ERROR_CODES, asSelfHealingError } from '../self-healing.errors';
import { PolicyRepository } from './policy.repository';

/** The effective policies: shipped defaults, then the policy file, then edits made through the API. */
@Injectable()
export class PolicyService {
  private fromFile: Policy[] = [];
  private set = new PolicySet(defaultPolicies());

  constructor(
    @Inject(SELF_HEALING_CONFIG) private readonly config: SelfHealingConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly repository: PolicyRepository,
  ) {}

  /** Reads the file (a bad file stops start-up with every problem listed) and the stored edits. */
  async load(): Promise<void> {
    if (this.config.policiesFile) {
      this.fromFile = await loadPolicyFile(this.config.policiesFile, defaultPolicies()).catch((error: unknown) => {
        throw asSelfHealingError(error);
      });
    }
    await this.refresh();
  }

  async refresh(): Promise<void> {
    this.set = new PolicySet(layerPolicies(defaultPolicies(), this.fromFile, await this.repository.list()));
  }

  resolve(contract: ContractId, attackClass: string): Policy | undefined {
    return this.set.resolve(contract, attackClass);
  }

  list(): readonly Policy[] {
    return this.set.policies;
  }

  async upsert(policy: Policy, actor: string): Promise<Policy> {
    await this.repository.upsert({ policy, actor, at: this.clock.now() });
    await this.refresh();
    return policy;
  }

  /** Removes a stored edit; the file or default entry of the same key applies again. */
  async remove(contract: string, attackClass: string): Promise<void> {
    if (!(await this.repository.remove(contract, attackClass))) {
      throw new SelfHealingError({
        code: SELF_HEALING_ERROR_CODES.PolicyNotFound,
        message: `no stored policy for ${contract}/${attackClass} (defaults and file entries are changed by storing an override)`,
        kind: 'not-found',
        details: { contract, attackClass },
      });
    }
    await this.refresh();
  }
}
