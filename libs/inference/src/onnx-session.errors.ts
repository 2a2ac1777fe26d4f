import { VigilError } from '@vigil/errors';

/** The ONNX model could not be loaded or does not look like a classifier we can run. */
export class ModelLoadError extends VigilError {
  constructor(message: string, details: Record<string, unknown> = {}, cause?: unknown) {
    super({ code: 'INFERENCE.MODEL_LOAD_FAILED', message, kind: 'invalid-input', details, cause });
  }
}

/** A batch handed to the session does not match the model's input. */
export class InferenceInputError extends VigilError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super({ code: 'INFERENCE.INPUT_INVALID', message, kind: 'invalid-input', details });
  }
}

/** onnxruntime failed while running a batch. */
export class InferenceRunError extends VigilError {
  constructor(message: string, cause?: unknown) {
    super({ code: 'INFERENCE.RUN_FAILED', message, kind: 'internal', cause });
  }
}
