export { type TrainingSet, type ProgressCallback } from './training.types';
export { TrainingInputError, TrainingWorkerError } from './training.errors';
export { MAX_BINS, binMatrix, float32AtMost, type BinnedMatrix, type FeatureBins } from './binning';
export { type Tree, type TreeEnsemble, type TreeEnsembleKind, type PostTransform, countNodes } from './tree-ensemble.model';
export { predict, predictProba, type Prediction } from './tree-ensemble.predict';
export { type ForestOptions, type TreeOptions, type MaxFeatures, type ClassWeight } from './forest.options';
export { trainRandomForest, trainDecisionTree } from './forest.trainer';
export { trainGradientBoosting, type BoostingOptions } from './boosting.trainer';
export { exportOnnx, type OnnxExportOptions } from './onnx.export';
export { readOnnxTreeEnsemble, type OnnxTreeEnsembleFile } from './onnx.import';
export { OnnxFormatError, OnnxExportError } from './onnx.errors';
export {
  binaryMetrics, confusionMatrix, classificationReport, rocAuc,
  type Labels, type BinaryMetrics, type ClassMetrics, type ClassificationReport,
} from './metrics';
export { selectThreshold, type ThresholdStrategy, type ThresholdChoice } from './metrics.threshold';
