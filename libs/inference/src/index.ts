export { OnnxModelSession, type OnnxModelSessionOptions, type OnnxRunResult } from './onnx-session';
export { ModelLoadError, InferenceInputError, InferenceRunError } from './onnx-session.errors';
export { ModelRunner, type ModelRunnerOptions, type ModelRunResult } from './model-runner';
export { ModelManifestError, ModelNotFoundError } from './model-runner.errors';
export { MANIFEST_FILE, MODEL_FILE, defaultModelsDir, loadModelVersion, loadShippedModel, loadShippedModels, shippedModelName } from './model-version.loader';
export { readSampleRows, trainSampleModels, type SampleModel, type SampleRows } from './sample-models';
export { startMicroBatchConsumer, type ConsumerLag, type MicroBatchConsumer, type MicroBatchConsumerOptions, type StageItem, type StageLogger } from './micro-batch.consumer';
export { StageMetrics } from './stage.metrics';
