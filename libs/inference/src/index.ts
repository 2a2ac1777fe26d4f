export { OnnxModelSession, type OnnxModelSessionOptions, type OnnxRunResult } from './onnx-session';
export { ModelLoadError, InferenceInputError, InferenceRunError } from './onnx-session.errors';
