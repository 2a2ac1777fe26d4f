import { VigilError } from '@vigil/errors';

/** The model version folder cannot be evaluated (missing files, invalid manifest, nothing to score). */
export class EvaluateError extends VigilError {
  constructor(code: 'EVALUATE.MODEL_INVALID' | 'EVALUATE.NO_ROWS', message: string, details: Record<string, unknown> = {}) {
    super({ code, message, kind: 'invalid-input', details });
  }
}
