import { VigilError } from '@vigil/errors';

/** No model version folder where one was expected (never answered with a stand-in model). */
export class ModelNotFoundError extends VigilError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super({ code: 'INFERENCE.MODEL_NOT_FOUND', message, kind: 'not-found', details });
  }
}

/** manifest.json is missing, unreadable, or does not fit this build's contracts. */
export class ModelManifestError extends VigilError {
  constructor(message: string, details: Record<string, unknown> = {}, cause?: unknown) {
    super({ code: 'INFERENCE.MODEL_MANIFEST_INVALID', message, kind: 'invalid-input', details, cause });
  }
}
