import { VigilError, type ErrorDetails } from '@vigil/errors';

export class ModelUploadError extends VigilError {
  constructor(code: 'MODELS.MALFORMED_UPLOAD' | 'MODELS.NO_MODEL_PART' | 'MODELS.NO_MANIFEST_PART' | 'MODELS.MANIFEST_NOT_JSON' | 'MODELS.NAME_MISMATCH', message: string, details: ErrorDetails = {}) {
    super({ code, message, kind: 'invalid-input', details });
  }
}

export class NoProductionVersionError extends VigilError {
  constructor(name: string) {
    super({ code: 'MODELS.NO_PRODUCTION_VERSION', kind: 'not-found', message: `model ${name} has no production version`, details: { name } });
  }
}
