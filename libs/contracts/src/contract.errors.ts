import { type ErrorDetails, VigilError } from '@vigil/errors';

export type ContractErrorCode =
  | 'CONTRACTS.UNKNOWN_CONTRACT'
  | 'CONTRACTS.UNKNOWN_FORMAT'
  | 'CONTRACTS.MISSING_COLUMN'
  | 'CONTRACTS.MALFORMED_MESSAGE'
  | 'CONTRACTS.INVALID_BATCH';

/** Whole-file or whole-message problems; per-row problems are RowError values, never throws. */
export class ContractError extends VigilError {
  constructor(args: { code: ContractErrorCode; message: string; details?: ErrorDetails; cause?: unknown }) {
    super({ ...args, kind: 'invalid-input' });
  }
}

/** Stable codes of RowError entries. */
export const ROW_ERROR_CODES = {
  fieldCount: 'CONTRACTS.FIELD_COUNT',
  badNumber: 'CONTRACTS.BAD_NUMBER',
  unknownLabel: 'CONTRACTS.UNKNOWN_LABEL',
  missingLabel: 'CONTRACTS.MISSING_LABEL',
  badEnvelope: 'CONTRACTS.BAD_ENVELOPE',
  unterminatedQuote: 'CONTRACTS.UNTERMINATED_QUOTE',
} as const;
