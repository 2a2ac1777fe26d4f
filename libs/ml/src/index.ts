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
export { marginalOutliers, type MarginalOutlierArgs } from './synthetic-outliers';
export { attackTypeFolds, stratifiedFolds, type AttackTypeFoldArgs, type AttackTypeFolds } from './attack-type.folds';
export { parseHomeNet, ipWords, type HomeNet } from './home-net';
export {
  CONTEXT_FEATURES, CONTEXT_FEATURE_PREFIX, createModelInput,
  type ContextFeature, type GatherArgs, type ModelInput, type ModelInputSpec,
} from './model-input';
export { ModelInputError } from './model-input.errors';
export { UnknownLabelError } from './training.errors';
export { type GatedEnsemble, predictGated } from './gated-ensemble.model';
export { exportGatedOnnx, GATED_KIND, type GatedOnnxExportOptions } from './onnx.gated-export';
export { isGatedOnnx, readOnnxGatedEnsemble, type OnnxGatedEnsembleFile } from './onnx.gated-import';
export { gateMatchesDetector, readGatedCategories } from './onnx.gate-match';
export { attackScore, decide, type DecisionRule } from './decision.rule';
export { evaluationReport, type ClassScores, type EvaluationInput, type EvaluationReport } from './evaluation.report';
export {
  CIC_IDS2017_HOME_NET, SEED_FEATURES,
  type Algorithm, type HyperParams, type TargetLevel, type ThresholdRule, type TrainSpec, type ValidationMethod,
} from './training/train-spec';
export { RECIPES, resolveTrainSpec, type TrainRequest } from './training/train-recipes';
export { trainModel, type TrainProgress, type TrainRunArgs, type TrainRunResult } from './training/train-model';
export { readTrainingTable, rejectUnknownLabels, type TableFile, type TrainingTable } from './training/training-table';
export { benignName, classNameOf } from './training/training-target';
export { referenceHistograms } from './training/reference-histograms';
export {
  createTreeExplainer, explain, expectedValue, saabasOf, saabasTable, topContributions, topIndices, treeCovers,
  type ExplainMethod, type Explanation, type FeatureContribution, type TreeExplainer,
} from './explain';
export { saabasRow, type SaabasPaths } from './explain.saabas';
export { createGatedExplainer, explainGated, type GatedExplainer, type GatedExplanation } from './explain.gated';
export { DriftMonitor, binOf, psi, type DriftMonitorOptions, type DriftReport, type DriftWindow, type FeatureDrift } from './drift.monitor';
export { createModelExplainer, explanationBackground, type ModelExplainer, type RowExplanation } from './explain.model';
export { TreeExplainerPool, sameEnsemble } from './explain.shared';
