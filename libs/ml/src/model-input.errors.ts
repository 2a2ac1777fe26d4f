import { VigilError } from '@vigil/errors';

/** A model's feature list cannot be served from a contract (unknown name, missing home net). */
export class ModelInputError extends VigilError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super({ code: 'ML.MODEL_INPUT_INVALID', message, kind: 'invalid-input', details });
  }
}
