// Leave-attack-types-out folds: every attack type is held out whole, so a fold's validation
// attacks are types the model never saw (the way NSL-KDD's official test set behaves).
import { Random } from './random';
import { TrainingInputError } from './training.errors';

export interface AttackTypeFoldArgs {
  /** Attack type (canonical label) per row; null for benign rows. */
  readonly types: readonly (string | null)[];
  /** Category (family) per attack type. */
  readonly categoryOf: (type: string) => string;
  /** Category order: types are dealt round-robin category by category, in this order. */
  readonly categories: readonly string[];
  readonly nFolds: number;
  readonly seed: number;
}

export interface AttackTypeFolds {
  /** Fold per row. */
  readonly fold: Int32Array;
  /** Held-out attack types per fold. */
  readonly heldOut: string[][];
}

/**
 * Types of each category, most frequent first, are dealt to folds round-robin with one
 * counter running across categories, so every category spreads over the folds; benign
 * rows go to folds uniformly at random (seeded).
 */
export function attackTypeFolds(args: AttackTypeFoldArgs): AttackTypeFolds {
  const { types, nFolds } = args;
  if (!Number.isInteger(nFolds) || nFolds < 2) throw new TrainingInputError('attack-type folds need nFolds >= 2', { nFolds });
  const counts = new Map<string, number>();
  for (const t of types) if (t !== null) counts.set(t, (counts.get(t) ?? 0) + 1);
  const foldOf = new Map<string, number>();
  const heldOut: string[][] = Array.from({ length: nFolds }, () => []);
  let next = 0;
  for (const category of args.categories) {
    const members = [...counts.keys()].filter((t) => args.categoryOf(t) === category);
    members.sort((a, b) => (counts.get(b) as number) - (counts.get(a) as number) || (a < b ? -1 : 1));
    for (const t of members) {
      foldOf.set(t, next % nFolds);
      heldOut[next % nFolds].push(t);
      next++;
    }
  }
  const rng = new Random(args.seed);
  const fold = new Int32Array(types.length);
  types.forEach((t, i) => {
    if (t === null) fold[i] = rng.nextInt(nFolds);
    else {
      const f = foldOf.get(t);
      if (f === undefined) throw new TrainingInputError(`attack type ${t} is in no listed category`, { type: t, category: args.categoryOf(t) });
      fold[i] = f;
    }
  });
  return { fold, heldOut };
}

/** Stratified k folds: each class's rows are shuffled (seeded) and dealt round-robin. */
export function stratifiedFolds(args: { y: ArrayLike<number>; nClasses: number; nFolds: number; seed: number }): Int32Array {
  const { y, nFolds } = args;
  if (!Number.isInteger(nFolds) || nFolds < 2) throw new TrainingInputError('stratified folds need nFolds >= 2', { nFolds });
  const rng = new Random(args.seed);
  const fold = new Int32Array(y.length);
  let offset = 0;
  for (let k = 0; k < args.nClasses; k++) {
    const rows: number[] = [];
    for (let i = 0; i < y.length; i++) if (y[i] === k) rows.push(i);
    for (let i = rows.length - 1; i > 0; i--) {
      const j = rng.nextInt(i + 1);
      [rows[i], rows[j]] = [rows[j], rows[i]];
    }
    rows.forEach((r, i) => (fold[r] = (i + offset) % nFolds));
    offset += rows.length;
  }
  return fold;
}
