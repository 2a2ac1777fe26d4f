import { type DecisionEntity } from '../decisions/decision.entity';

/**
 * An enforcement point (a firewall, a cluster, a bouncer feed). Every method is idempotent:
 * the service may call it again after a crash or a retry.
 */
export interface DecisionExecutor {
  readonly name: string;
  /** Makes the enforcement point hold exactly these decisions (run at start). */
  reconcile(enforced: readonly DecisionEntity[], now: Date): Promise<void>;
  /** Puts a decision in force, or refreshes its action and expiry. */
  apply(decision: DecisionEntity, now: Date): Promise<void>;
  /** Lifts a decision. */
  withdraw(decision: DecisionEntity): Promise<void>;
}
