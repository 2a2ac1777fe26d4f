// One `vigil train` run, from data files to the three files of a model version folder:
// read -> model input -> target -> out-of-fold validation + threshold -> final fit on every
// row -> ONNX + manifest + model card. Nothing here reads the clock or absolute paths, so the
// same spec and data give the same bytes.
import { createHash } from 'node:crypto';
import os from 'node:os';
import { type ModelManifest, getContract } from '@vigil/contracts';
import { type DecisionRule, attackScore } from '../decision.rule';
import { type EvaluationReport, evaluationReport } from '../evaluation.report';
import { createModelInput } from '../model-input';
import { exportOnnx } from '../onnx.export';
import { exportGatedOnnx } from '../onnx.gated-export';
import { type Folds, makeFolds, outOfFold } from './cross-validation';
import { type FittedModel, fitModel, treesOf } from './model-fit';
import { modelCard } from './model-card';
import { referenceHistograms } from './reference-histograms';
import { chooseThreshold } from './threshold-rule';
import { type TrainSpec } from './train-spec';
import { buildTarget } from './training-target';
import { type TrainingTable, readTrainingTable } from './training-table';

export interface TrainProgress {
  readonly phase: string;
  readonly done: number;
  readonly total: number;
}

export interface TrainRunArgs {
  readonly spec: TrainSpec;
  readonly files: readonly { read: string; record: string }[];
  readonly name: string;
  readonly version: number;
  /** The command that rebuilds this model, as recorded in the manifest and card. */
  readonly command: string;
  readonly workers?: number;
  readonly onProgress?: (p: TrainProgress) => void;
}

export interface TrainRunResult {
  readonly onnx: Uint8Array;
  readonly manifest: ModelManifest;
  readonly card: string;
  readonly validation: EvaluationReport | null;
}

function baseRule(spec: TrainSpec, nClasses: number): DecisionRule {
  if (spec.task === 'detect') return { task: 'detect', nClasses, positiveClass: 1 };
  return spec.categories ? { task: 'classify', nClasses, normalClass: 0 } : { task: 'classify', nClasses };
}

function counter(args: TrainRunArgs, total: number): { phase: (p: string) => void; tick: () => void } {
  let done = 0;
  let phase = '';
  return {
    phase: (p) => {
      phase = p;
      args.onProgress?.({ phase, done, total });
    },
    tick: () => args.onProgress?.({ phase, done: Math.min(total, ++done), total }),
  };
}

export async function trainModel(args: TrainRunArgs): Promise<TrainRunResult> {
  const { spec } = args;
  const contract = getContract(spec.contract);
  const table = await readTrainingTable({ contract: spec.contract, files: args.files });
  const input = createModelInput({ contract, features: spec.features, homeNet: spec.homeNet });
  const X = Float32Array.from(input.gather({ features: table.features, count: table.count, envelopes: table.envelopes }));
  const target = buildTarget(spec, table.labels);
  const nClasses = target.classLabels.length;
  const folds = makeFolds(spec, table.labels, target.y, nClasses);
  const perFit = treesOf(spec.algo, spec.params, nClasses) + (spec.categories ? treesOf(spec.categories.algo, spec.categories.params, nClasses - 1) : 0);
  const progress = counter(args, perFit * ((folds?.nFolds ?? 0) + 1));
  const fit = { spec, X, nFeatures: spec.features.length, y: target.y, nClasses, benignClass: target.benignClass, workers: args.workers ?? os.availableParallelism(), onTree: progress.tick };
  let rule = baseRule(spec, nClasses);
  let validation: EvaluationReport | null = null;
  if (folds) {
    progress.phase(`validation (${spec.validation.method}, ${folds.nFolds} folds)`);
    const oof = await outOfFold({ ...fit, folds, n: table.count });
    const isAttack = Uint8Array.from(table.labels, (l) => (l.isAttack ? 1 : 0));
    if (rule.positiveClass !== undefined || rule.normalClass !== undefined) {
      const scores = Float64Array.from({ length: table.count }, (_, r) => attackScore(rule, oof, r));
      rule = { ...rule, threshold: chooseThreshold(spec.thresholdRule, isAttack, scores) };
    }
    validation = evaluationReport({
      rule, classLabels: target.classLabels, benignClass: target.benignClass, yTrue: target.y,
      originalLabels: table.labels.map((l) => l.label), isAttack, probabilities: oof,
    });
  } else if (spec.task === 'detect' || spec.categories) {
    rule = { ...rule, threshold: spec.thresholdRule.kind === 'fixed' ? spec.thresholdRule.value : 0.5 };
  }
  progress.phase('final model (every row)');
  const model = await fitModel({ ...fit, rows: Int32Array.from({ length: table.count }, (_, i) => i), drawIndex: 0 });
  const manifest = buildManifest({ args, table, X, classLabels: target.classLabels, y: target.y, rule, validation, folds });
  const onnx = exportModel(model, manifest);
  return { onnx, manifest, validation, card: modelCard({ manifest, spec, validation, onnxBytes: onnx.length, folds }) };
}

function exportModel(model: FittedModel, manifest: ModelManifest): Uint8Array {
  const opts = {
    classLabels: manifest.classLabels, featureNames: manifest.features,
    metadata: { 'vigil.manifest': JSON.stringify(manifest) }, producer: { name: 'vigil', version: '1' },
  };
  return model.kind === 'single' ? exportOnnx(model.ensemble, opts) : exportGatedOnnx(model.gated, opts);
}

function describeValidation(spec: TrainSpec, folds: Folds | null): string {
  if (!folds) return 'none';
  if (spec.validation.method === 'stratified-cv') return `stratified ${folds.nFolds}-fold cross-validation (seed ${spec.params.seed}), out-of-fold predictions`;
  return `leave-attack-types-out ${folds.nFolds}-fold cross-validation: attack types dealt round-robin per category, benign rows to random folds (seed ${spec.params.seed}); out-of-fold predictions, every attack predicted by a model that never saw its type`;
}

function buildManifest(a: {
  args: TrainRunArgs; table: TrainingTable; X: Float32Array; classLabels: string[]; y: Int32Array; rule: DecisionRule; validation: EvaluationReport | null; folds: Folds | null;
}): ModelManifest {
  const { spec } = a.args;
  const contract = getContract(spec.contract);
  const data = a.table.files.map((f) => ({ path: f.path, sha256: f.sha256, rows: f.rows }));
  const fingerprint = createHash('sha256').update(JSON.stringify({ data: data.map((d) => d.sha256), spec })).digest('hex');
  const classCounts = Object.fromEntries(a.classLabels.map((c, k) => [c, a.y.reduce((n, v) => n + (v === k ? 1 : 0), 0)]));
  const params: Record<string, unknown> = { ...spec.params };
  if (spec.syntheticOutliers > 0) params.syntheticOutliers = spec.syntheticOutliers;
  if (spec.categories) Object.assign(params, { structure: 'gated', categories: spec.categories });
  if (spec.recipe) params.recipe = spec.recipe;
  if (spec.preset) params.preset = spec.preset;
  const metrics: Record<string, unknown> = { ...(a.validation ?? {}) };
  if (a.folds?.heldOut) metrics.heldOutAttackTypes = a.folds.heldOut;
  return {
    manifestVersion: 1, name: a.args.name, version: a.args.version, task: spec.task,
    contract: { id: contract.id, version: contract.version }, features: [...spec.features],
    classLevel: spec.classLevel, classLabels: a.classLabels,
    ...(a.rule.positiveClass === undefined ? {} : { positiveClass: a.rule.positiveClass }),
    ...(a.rule.threshold === undefined ? {} : { threshold: a.rule.threshold }),
    ...(a.rule.normalClass === undefined ? {} : { normalClass: a.rule.normalClass }),
    ...(spec.features.some((f) => f.startsWith('ctx.')) ? { homeNet: [...spec.homeNet] } : {}),
    mergedLabels: Object.fromEntries(Object.entries(spec.mergedLabels).map(([k, v]) => [k, [...v]])),
    algorithm: { kind: spec.algo, params },
    training: { data, fingerprint, seed: spec.params.seed, command: a.args.command, rows: a.table.count, classCounts },
    validation: { method: describeValidation(spec, a.folds), metrics },
    referenceHistograms: referenceHistograms({ X: a.X, nRows: a.table.count, features: spec.features }),
    createdBy: '@vigil/ml trainModel (vigil train)',
  };
}
