import { VigilError } from '@vigil/errors';
import { isRemediationError, type RemediationErrorCode } from '@vigil/remediation';

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

// The shared engine (@vigil/remediation) names its own codes; self-healing's users have always
// seen these, so they are mapped at the boundaries (request/reply, boot), never renamed.
const FROM_REMEDIATION: Readonly<Record<RemediationErrorCode, string>> = {
  'REMEDIATION.INVALID_ADDRESS': SELF_HEALING_ERROR_CODES.InvalidAddress,
  'REMEDIATION.POLICY_FILE_INVALID': SELF_HEALING_ERROR_CODES.PolicyFileInvalid,
};

/** A remediation engine error under its stable SELF_HEALING.* code; anything else unchanged. */
export function asSelfHealingError(error: unknown): unknown {
  if (!isRemediationError(error)) return error;
  return new SelfHealingError({ code: FROM_REMEDIATION[error.code], message: error.message, kind: error.kind, details: error.details, cause: error });
}
