import { VigilError } from '@vigil/errors';

export type AnalyzeErrorCode = 'ANALYZE.READ_FAILED' | 'ANALYZE.MODEL_MISMATCH' | 'ANALYZE.NOT_EXPLAINABLE';

/** `vigil analyze` cannot go on: a file that cannot be read, models that do not fit the file. */
export class AnalyzeError extends VigilError {
  constructor(code: AnalyzeErrorCode, message: string, details: Record<string, unknown> = {}) {
    super({ code, message, kind: 'invalid-input', details });
  }
}
