// Synthetic "outlier" rows drawn from the product of the marginals of a set of source rows
// (Hastie et al., ESL 14.2.4): each synthetic row takes every feature from an independently
// drawn source row, so it keeps each feature's distribution but none of their joint structure.
// Labelled "attack", they teach a forest that "unlike any normal row" means attack, which is
// what carries a detector to attack types it never saw.
import { Random } from './random';
import { TrainingInputError } from './training.errors';

export interface MarginalOutlierArgs {
  readonly X: Float32Array;
  readonly nFeatures: number;
  /** Row indices the marginals come from (e.g. the normal training rows). */
  readonly sourceRows: ArrayLike<number>;
  readonly count: number;
  readonly seed: number;
}

/** count × nFeatures synthetic rows; identical for the same inputs and seed. */
export function marginalOutliers(args: MarginalOutlierArgs): Float32Array {
  const { X, nFeatures, sourceRows, count } = args;
  if (sourceRows.length === 0) throw new TrainingInputError('synthetic outliers need at least one source row');
  if (!Number.isInteger(count) || count < 0) throw new TrainingInputError('synthetic outlier count must be an integer >= 0', { count });
  const rng = new Random(args.seed);
  const out = new Float32Array(count * nFeatures);
  const n = sourceRows.length;
  for (let r = 0; r < count; r++) {
    const o = r * nFeatures;
    for (let f = 0; f < nFeatures; f++) out[o + f] = X[sourceRows[rng.nextInt(n)] * nFeatures + f];
  }
  return out;
}
