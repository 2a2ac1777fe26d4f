// Class labels and the class index of every row for a spec's target level and merges.
import { type CanonicalLabel, getContract } from '@vigil/contracts';
import { TrainingInputError } from '../training.errors';
import { type TrainSpec } from './train-spec';

export interface Target {
  readonly classLabels: string[];
  readonly y: Int32Array;
  /** Index of the benign class. */
  readonly benignClass: number;
}

/** The class a canonical label trains as, after merges. */
export function classNameOf(spec: Pick<TrainSpec, 'classLevel' | 'mergedLabels' | 'contract'>, label: CanonicalLabel): string {
  if (spec.classLevel === 'binary') return label.isAttack ? 'attack' : benignName(spec.contract);
  if (spec.classLevel === 'family') return label.family;
  for (const [into, members] of Object.entries(spec.mergedLabels)) if (members.includes(label.label)) return into;
  return label.label;
}

export function benignName(contractId: TrainSpec['contract']): string {
  return getContract(contractId).families[0].toLowerCase();
}

/** Binary: [benign, attack]; family: the contract's families; label: the labels present, in contract order, benign first. */
export function classLabelsFor(spec: TrainSpec, labels: readonly CanonicalLabel[]): string[] {
  const contract = getContract(spec.contract);
  if (spec.classLevel === 'binary') return [benignName(spec.contract), 'attack'];
  if (spec.classLevel === 'family') return [...contract.families];
  const present = new Set(labels.map((l) => classNameOf(spec, l)));
  return contract.labels.map((l) => l.label).filter((l) => present.has(l));
}

export function buildTarget(spec: TrainSpec, labels: readonly CanonicalLabel[]): Target {
  const classLabels = classLabelsFor(spec, labels);
  const index = new Map(classLabels.map((c, i) => [c, i]));
  const y = new Int32Array(labels.length);
  labels.forEach((l, i) => {
    const k = index.get(classNameOf(spec, l));
    if (k === undefined) throw new TrainingInputError(`label ${l.label} maps to no class`, { label: l.label });
    y[i] = k;
  });
  for (let k = 0; k < classLabels.length; k++) {
    if (!y.includes(k) && spec.classLevel !== 'family') throw new TrainingInputError(`class ${classLabels[k]} has no training rows`, { class: classLabels[k] });
  }
  return { classLabels, y, benignClass: 0 };
}
