// Named recipes (`vigil train --recipe NAME`) and the defaults of a plain run, resolved into
// a TrainSpec. Explicit hyper-parameters on the command line override a recipe's.
import { type ContractId, getContract } from '@vigil/contracts';
import { CONTEXT_FEATURES } from '../model-input';
import { TrainingInputError } from '../training.errors';
import {
  type Algorithm, CIC_IDS2017_HOME_NET, type HyperParams, SEED_FEATURES, type ThresholdRule, type TrainSpec, type ValidationMethod,
} from './train-spec';

export interface TrainRequest {
  readonly task: 'detect' | 'classify';
  readonly contract: ContractId;
  readonly recipe?: string;
  readonly preset?: 'seed';
  readonly algo?: Algorithm;
  /** Only the keys given on the command line. */
  readonly params: Partial<HyperParams>;
  readonly folds?: number;
  readonly validation?: ValidationMethod;
  readonly homeNet?: readonly string[];
}

type RecipeDefaults = Omit<TrainSpec, 'task' | 'contract' | 'recipe' | 'preset'>;

/** Leave-attack-types-out threshold rule: the best balanced accuracy that keeps benign TNR >= 0.97. */
const NOVELTY_RULE: ThresholdRule = { kind: 'max-balanced-accuracy', minTnr: 0.97 };
const CATEGORY_PARAMS: HyperParams = { trees: 30, minSamplesLeaf: 2, classWeight: 'balanced', seed: 1 };

export const RECIPES: Readonly<Record<string, { summary: string; build(r: TrainRequest): RecipeDefaults }>> = {
  'outlier-detector': {
    summary: 'random forest + synthetic product-of-marginals outliers of the benign rows (1:1), leave-attack-types-out CV, threshold at the best balanced accuracy with benign TNR >= 0.97',
    build: (r) => ({ ...plain(r), algo: 'rf', params: { trees: 30, seed: 1 }, syntheticOutliers: 1, thresholdRule: NOVELTY_RULE }),
  },
  'gated-classifier': {
    summary: 'the outlier-detector forest gates attack vs benign; a balanced random forest on attack rows names the category (one ONNX graph)',
    build: (r) => ({
      ...plain(r), algo: 'rf', params: { trees: 30, seed: 1 }, syntheticOutliers: 1, thresholdRule: NOVELTY_RULE,
      categories: { algo: 'rf', params: CATEGORY_PARAMS },
    }),
  },
  'home-net': {
    summary: 'random forest on every flow feature plus ctx.src_in_home_net / ctx.dst_in_home_net (HOME_NET 192.168.10.0/24, the CIC-IDS2017 victim network), stratified 5-fold CV',
    build: (r) => ({
      ...plain(r), algo: 'rf', params: { trees: 50, seed: 1 },
      features: [...getContract(r.contract).features.map((f) => f.name), ...CONTEXT_FEATURES],
      homeNet: [...CIC_IDS2017_HOME_NET],
      thresholdRule: r.task === 'detect' ? { kind: 'best-f1' } : { kind: 'fixed', value: 0.5 },
    }),
  },
};

function plain(r: TrainRequest): RecipeDefaults {
  return {
    algo: 'rf', params: { trees: 100, seed: 1 },
    features: getContract(r.contract).features.map((f) => f.name),
    classLevel: r.task === 'detect' ? 'binary' : r.contract === 'nsl-kdd' ? 'family' : 'label',
    syntheticOutliers: 0, mergedLabels: {}, homeNet: [],
    validation: { method: r.contract === 'nsl-kdd' ? 'attack-type-cv' : 'stratified-cv', folds: 5 },
    thresholdRule: { kind: 'fixed', value: 0.5 },
  };
}

function seedPreset(r: TrainRequest): RecipeDefaults {
  if (r.contract !== 'nsl-kdd') throw new TrainingInputError('--preset seed reproduces the replaced system\'s NSL-KDD models; use --contract nsl-kdd');
  const base = { ...plain(r), features: [...SEED_FEATURES] };
  return r.task === 'detect'
    ? { ...base, algo: 'rf', params: { trees: 100, maxDepth: 15, seed: 1 } }
    : { ...base, algo: 'dt', params: { maxDepth: 10, criterion: 'entropy', seed: 1 } };
}

export function resolveTrainSpec(r: TrainRequest): TrainSpec {
  if (r.recipe !== undefined && r.preset !== undefined) throw new TrainingInputError('--recipe and --preset cannot be combined');
  let base: RecipeDefaults;
  if (r.preset === 'seed') base = seedPreset(r);
  else if (r.recipe !== undefined) {
    const recipe = RECIPES[r.recipe];
    if (!recipe) throw new TrainingInputError(`unknown recipe "${r.recipe}" (known: ${Object.keys(RECIPES).join(', ')})`, { recipe: r.recipe });
    base = recipe.build(r);
  } else base = plain(r);
  if (base.categories && r.task !== 'classify') throw new TrainingInputError(`recipe ${r.recipe} trains a classify model; use --task classify`);
  const params = { ...base.params, ...r.params } as HyperParams;
  const spec: TrainSpec = {
    ...base,
    task: r.task, contract: r.contract,
    algo: r.algo ?? base.algo,
    params,
    validation: { method: r.validation ?? base.validation.method, folds: r.folds ?? base.validation.folds },
    homeNet: r.homeNet ?? base.homeNet,
    ...(r.recipe === undefined ? {} : { recipe: r.recipe }),
    ...(r.preset === undefined ? {} : { preset: r.preset }),
  };
  if (spec.validation.method === 'attack-type-cv' && spec.contract !== 'nsl-kdd') {
    throw new TrainingInputError('attack-type-cv needs labels with attack types per category (nsl-kdd)');
  }
  return spec;
}
