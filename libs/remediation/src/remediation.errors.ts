import { VigilError } from '@vigil/errors';

/**
 * Stable codes of the remediation engine. Self-healing maps them to its own `SELF_HEALING.*`
 * codes at its transport and boot boundaries (`SELF_HEALING.INVALID_ADDRESS`,
 * `SELF_HEALING.POLICY_FILE_INVALID` are what its API users see), so the engine can be shared
 * with the CLI without leaking one app's names.
 */
export const REMEDIATION_ERROR_CODES = {
  InvalidAddress: 'REMEDIATION.INVALID_ADDRESS',
  PolicyFileInvalid: 'REMEDIATION.POLICY_FILE_INVALID',
} as const;

export type RemediationErrorCode = (typeof REMEDIATION_ERROR_CODES)[keyof typeof REMEDIATION_ERROR_CODES];

export class RemediationError extends VigilError {
  declare readonly code: RemediationErrorCode;

  constructor(args: ConstructorParameters<typeof VigilError>[0] & { code: RemediationErrorCode }) {
    super(args);
  }
}

export function isRemediationError(error: unknown): error is RemediationError {
  return error instanceof RemediationError;
}
