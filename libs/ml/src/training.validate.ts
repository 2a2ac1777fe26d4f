import { TrainingInputError } from './training.errors';
import { type TrainingSet } from './training.types';

export function validateTrainingSet(set: TrainingSet): void {
  const { X, nRows, nFeatures, y, nClasses, sampleWeight } = set;
  if (!Number.isInteger(nRows) || nRows < 1 || !Number.isInteger(nFeatures) || nFeatures < 1) {
    throw new TrainingInputError('nRows and nFeatures must be positive integers', { nRows, nFeatures });
  }
  if (X.length !== nRows * nFeatures) {
    throw new TrainingInputError('X length must equal nRows * nFeatures', { expected: nRows * nFeatures, got: X.length });
  }
  if (y.length !== nRows) throw new TrainingInputError('y length must equal nRows', { expected: nRows, got: y.length });
  if (!Number.isInteger(nClasses) || nClasses < 2) throw new TrainingInputError('nClasses must be >= 2', { nClasses });
  for (let r = 0; r < nRows; r++) {
    if (y[r] < 0 || y[r] >= nClasses) throw new TrainingInputError('label out of range', { row: r, label: y[r], nClasses });
  }
  if (sampleWeight && sampleWeight.length !== nRows) {
    throw new TrainingInputError('sampleWeight length must equal nRows', { expected: nRows, got: sampleWeight.length });
  }
}

export function requirePositiveInt(name: string, value: number, min = 1): number {
  if (!(Number.isInteger(value) && value >= min) && value !== Infinity) {
    throw new TrainingInputError(`${name} must be an integer >= ${min}`, { [name]: value });
  }
  return value;
}
