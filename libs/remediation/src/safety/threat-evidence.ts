import { type ContractId } from '@vigil/contracts';

/**
 * What the policy and safety engine needs from one classified threat. Self-healing adapts the
 * pipeline's `threats.<contract>` messages to this shape and `vigil analyze` its own scored
 * rows, so the engine does not change when a wire format does.
 */
export interface ThreatEvidence {
  readonly contract: ContractId;
  readonly flowId: string;
  readonly srcIp?: string;
  readonly attackClass: string;
  /** The classifier's probability for attackClass, 0..1. */
  readonly probability: number;
  readonly topClasses?: readonly { label: string; probability: number }[];
  /** `name@version` of the models that made the call (detector, classifier). */
  readonly modelVersion?: string;
  /** The features that pushed the model most (explanations), strongest first. */
  readonly topFeatures?: readonly { name: string; weight: number }[];
  /** When the flow entered Vigil (ISO-8601). */
  readonly ingestedAt?: string;
}
