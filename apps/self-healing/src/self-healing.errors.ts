import { VigilError } from '@vigil/errors';

/** Stable codes clients match on; the gateway maps `kind` to an HTTP status. */
export const SELF_HEALING_ERROR_CODES = {
  InvalidAddress: 'SELF_HEALING.INVALID_ADDRESS',
  InvalidRequest: 'SELF_HEALING.INVALID_REQUEST',
  DecisionNotFound: 'SELF_HEALING.DECISION_NOT_FOUND',
  InvalidTransition: 'SELF_HEALING.INVALID_TRANSITION',
  Allowlisted: 'SELF_HEALING.ALLOWLISTED',
  PolicyNotFound: 'SELF_HEALING.POLICY_NOT_FOUND',
  PolicyFileInvalid: 'SELF_HEALING.POLICY_FILE_INVALID',
  ExecutorFailed: 'SELF_HEALING.EXECUTOR_FAILED',
} as const;

export class SelfHealingError extends VigilError {}
