// Test support: real NSL-KDD rows read through @vigil/contracts into a TrainingSet.
import path from 'node:path';
import { readFlowFile } from '@vigil/contracts';
import { type TrainingSet } from './training.types';

export type TargetKind = 'binary' | 'family' | 'label';

export interface LabelledSet extends TrainingSet {
  readonly classNames: string[];
  readonly featureNames: string[];
}

export const SAMPLE_PATH = path.resolve(__dirname, '..', 'test-data', 'nsl-kdd-train-2500.txt.gz');

export async function loadFlows(file: string, target: TargetKind, maxRows = Infinity): Promise<LabelledSet> {
  const parts: Float32Array[] = [];
  const names: string[] = [];
  let featureNames: string[] = [];
  let nRows = 0;
  for await (const batch of readFlowFile(file, { contract: 'nsl-kdd', batchSize: 2048 })) {
    featureNames = batch.contract.features.map((f) => f.name);
    const take = Math.min(batch.count, maxRows - nRows);
    parts.push(batch.features.subarray(0, take * featureNames.length));
    for (let i = 0; i < take; i++) {
      const l = batch.labels[i];
      names.push(target === 'binary' ? (l?.isAttack ? 'attack' : 'normal') : target === 'family' ? (l?.family ?? '?') : (l?.label ?? '?'));
    }
    nRows += take;
    if (nRows >= maxRows) break;
  }
  const classNames = target === 'binary' ? ['normal', 'attack'] : [...new Set(names)].sort();
  const X = new Float32Array(nRows * featureNames.length);
  let o = 0;
  for (const p of parts) {
    X.set(p, o);
    o += p.length;
  }
  const y = Int32Array.from(names, (n) => classNames.indexOf(n));
  return { X, nRows, nFeatures: featureNames.length, y, nClasses: classNames.length, classNames, featureNames };
}

export function loadSample(target: TargetKind): Promise<LabelledSet> {
  return loadFlows(SAMPLE_PATH, target);
}
