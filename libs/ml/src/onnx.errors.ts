import { VigilError } from '@vigil/errors';

/** The bytes are not a readable ONNX model, or not one this reader understands. */
export class OnnxFormatError extends VigilError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super({ code: 'ML.ONNX_FORMAT_INVALID', message, kind: 'invalid-input', details });
  }
}

/** The model or export options cannot be written as ONNX. */
export class OnnxExportError extends VigilError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super({ code: 'ML.ONNX_EXPORT_INVALID', message, kind: 'invalid-input', details });
  }
}
