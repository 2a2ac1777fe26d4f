// What one training run does, fully resolved: every default filled in, so the spec alone
// (plus the data files' hashes) determines the model bit for bit and is what the manifest
// records and the fingerprint hashes.
import { type ContractId } from '@vigil/contracts';
import { type MaxFeatures } from '../forest.options';

export type Algorithm = 'rf' | 'dt' | 'gbt';
export type TargetLevel = 'binary' | 'family' | 'label';
export type ValidationMethod = 'attack-type-cv' | 'stratified-cv' | 'none';

export interface HyperParams {
  readonly trees?: number;
  readonly maxDepth?: number;
  readonly minSamplesLeaf?: number;
  readonly maxFeatures?: MaxFeatures;
  readonly criterion?: 'gini' | 'entropy';
  readonly classWeight?: 'balanced';
  readonly learningRate?: number;
  readonly subsample?: number;
  readonly seed: number;
}

export type ThresholdRule =
  | { readonly kind: 'fixed'; readonly value: number }
  /** Highest (recall + TNR) / 2 among cuts whose benign true-negative rate is at least minTnr. */
  | { readonly kind: 'max-balanced-accuracy'; readonly minTnr: number }
  | { readonly kind: 'best-f1' };

export interface TrainSpec {
  readonly task: 'detect' | 'classify';
  readonly contract: ContractId;
  readonly algo: Algorithm;
  readonly params: HyperParams;
  /** Model input columns: contract feature names and/or ctx.* context features. */
  readonly features: readonly string[];
  readonly classLevel: TargetLevel;
  /** Synthetic product-of-marginals rows per benign training row, labelled attack (0 = none). */
  readonly syntheticOutliers: number;
  /**
   * classify only, a gated model: algo/params/syntheticOutliers train the binary gate
   * (attack vs benign) and this model, trained on attack rows only, names the attack.
   */
  readonly categories?: { readonly algo: Algorithm; readonly params: HyperParams };
  /** Class -> labels folded into it (original labels stay in the data, e.g. for the unmerged confusion). */
  readonly mergedLabels: Readonly<Record<string, readonly string[]>>;
  readonly homeNet: readonly string[];
  readonly validation: { readonly method: ValidationMethod; readonly folds: number };
  readonly thresholdRule: ThresholdRule;
  readonly recipe?: string;
  readonly preset?: 'seed';
}

/** The replaced system's 10 NSL-KDD features (`--preset seed`). */
export const SEED_FEATURES = [
  'service', 'flag', 'src_bytes', 'dst_bytes', 'count', 'same_srv_rate', 'diff_srv_rate',
  'dst_host_srv_count', 'dst_host_same_srv_rate', 'dst_host_same_src_port_rate',
] as const;

/** The improved CIC-IDS2017 victim network; a deployment configures its own. */
export const CIC_IDS2017_HOME_NET = ['192.168.10.0/24'] as const;
