import { type ContractId } from '@vigil/contracts';

/**
 * What self-healing needs from one classified threat. The pipeline's `threats.<contract>`
 * messages are adapted to this shape (threat-message.adapter.ts), so the policy and safety
 * code does not change when the wire format does.
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
  /** When the flow entered Vigil (ISO-8601). */
  readonly ingestedAt?: string;
}
