/**
 * @jest-environment ./libs/inference/ort.jest-environment.js
 */
// Parity: real NSL-KDD rows through our TypeScript walker and through onnxruntime must give
// the same labels and probabilities within 1e-5, for every model kind we export.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { readFlowFile } from '@vigil/contracts';
import {
  type TrainingSet, type TreeEnsemble, exportOnnx, predict, trainDecisionTree, trainGradientBoosting, trainRandomForest,
} from '@vigil/ml';
import { OnnxModelSession } from './onnx-session';

function sharedFile(...parts: string[]): string | null {
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'nx.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
  const file = path.resolve(dir, '..', 'shared', 'datasets', ...parts);
  return existsSync(file) ? file : null;
}

const KDD = sharedFile('nsl-kdd', 'KDDTrain+.txt.gz');

interface Rows { X: Float32Array; n: number; f: number; binary: Int32Array; family: Int32Array; families: string[] }

async function readRows(file: string, maxRows: number): Promise<Rows> {
  const xs: number[] = [];
  const attack: number[] = [];
  const fam: string[] = [];
  let f = 0;
  for await (const batch of readFlowFile(file, { contract: 'nsl-kdd', batchSize: 4096 })) {
    f = batch.contract.features.length;
    const take = Math.min(batch.count, maxRows - attack.length);
    for (let i = 0; i < take * f; i++) xs.push(batch.features[i]);
    for (let i = 0; i < take; i++) {
      attack.push(batch.labels[i]?.isAttack ? 1 : 0);
      fam.push(batch.labels[i]?.family ?? '?');
    }
    if (attack.length >= maxRows) break;
  }
  const families = [...new Set(fam)].sort();
  return {
    X: Float32Array.from(xs), n: attack.length, f, binary: Int32Array.from(attack),
    family: Int32Array.from(fam, (x) => families.indexOf(x)), families,
  };
}

const rowsSlice = (r: Rows, from: number, to: number): Float32Array => r.X.subarray(from * r.f, to * r.f);

(KDD ? describe : describe.skip)(`TreeEnsemble parity TypeScript vs onnxruntime${KDD ? '' : ' (skipped: ../shared/datasets/nsl-kdd absent)'}`, () => {
  const EVAL = 10_000;
  let rows: Rows;
  let binarySet: TrainingSet;
  let familySet: TrainingSet;

  beforeAll(async () => {
    rows = await readRows(KDD as string, EVAL + 20_000);
    const train = (y: Int32Array, nClasses: number): TrainingSet => ({
      X: rowsSlice(rows, EVAL, rows.n), nRows: rows.n - EVAL, nFeatures: rows.f, y: y.subarray(EVAL), nClasses,
    });
    binarySet = train(rows.binary, 2);
    familySet = train(rows.family, rows.families.length);
  });

  const models: [string, () => Promise<TreeEnsemble>][] = [
    ['binary random forest', () => trainRandomForest(binarySet, { nEstimators: 30, maxDepth: 12, workers: 2, seed: 1 })],
    ['multi-class random forest', () => trainRandomForest(familySet, { nEstimators: 20, maxDepth: 12, workers: 2, seed: 2 })],
    ['binary decision tree', () => trainDecisionTree(binarySet, { maxDepth: 14 })],
    ['multi-class decision tree', () => trainDecisionTree(familySet, { maxDepth: 14, criterion: 'entropy' })],
    ['binary gradient boosting', () => trainGradientBoosting(binarySet, { nEstimators: 40, maxDepth: 4, subsample: 0.8, seed: 3 })],
    ['multi-class gradient boosting', () => trainGradientBoosting(familySet, { nEstimators: 10, maxDepth: 3, seed: 4 })],
  ];

  it.each(models)('%s: same labels, probabilities within 1e-5 on 10,000 real rows', async (_name, train) => {
    const model = await train();
    const classLabels = model.nClasses === 2 ? [0, 1] : rows.families;
    const session = await OnnxModelSession.create({ model: exportOnnx(model, { classLabels }), classLabels });
    try {
      const X = rowsSlice(rows, 0, EVAL);
      const ours = predict(model, X, EVAL);
      const ort = await session.run(X, EVAL);
      let maxDiff = 0;
      for (let i = 0; i < ours.probabilities.length; i++) maxDiff = Math.max(maxDiff, Math.abs(ours.probabilities[i] - ort.probabilities[i]));
      expect(maxDiff).toBeLessThan(1e-5);
      expect(ort.labels).toEqual(ours.labels);
    } finally {
      await session.release();
    }
  });

  it('reuses its output buffers across batches and checks the input size', async () => {
    const model = await trainDecisionTree(binarySet, { maxDepth: 6 });
    const session = await OnnxModelSession.create({ model: exportOnnx(model, { classLabels: ['normal', 'attack'] }), classLabels: ['normal', 'attack'] });
    try {
      expect(session.nFeatures).toBe(rows.f);
      const first = await session.run(rowsSlice(rows, 0, 256), 256);
      const firstLabels = Array.from(first.labels);
      const second = await session.run(rowsSlice(rows, 256, 512), 256);
      expect(second.probabilities.buffer).toBe(first.probabilities.buffer);
      expect(Array.from(second.labels)).toEqual(Array.from(predict(model, rowsSlice(rows, 256, 512), 256).labels));
      expect(firstLabels).toEqual(Array.from(predict(model, rowsSlice(rows, 0, 256), 256).labels));
      await expect(session.run(new Float32Array(10), 1)).rejects.toMatchObject({ code: 'INFERENCE.INPUT_INVALID' });
    } finally {
      await session.release();
    }
  });
});

describe('binary boosting export', () => {
  it('keeps the logistic when every leaf weight is positive', async () => {
    // A hand-built one-split model (not data): onnxruntime treats all-positive binary weights as
    // probabilities unless the export marks them mixed-sign.
    const model: TreeEnsemble = {
      kind: 'gbt', nFeatures: 1, nClasses: 2, valueWidth: 1, postTransform: 'logistic', baseScores: Float32Array.of(-0.25),
      trees: [{
        feature: Int32Array.of(0, -1, -1), threshold: Float32Array.of(1.5, 0, 0),
        left: Int32Array.of(1, -1, -1), right: Int32Array.of(2, -1, -1), value: Float64Array.of(0, 0.125, 0.75),
      }],
    };
    const X = Float32Array.of(1, 2, NaN, -Infinity);
    const session = await OnnxModelSession.create({ model: exportOnnx(model, { classLabels: [0, 1] }) });
    try {
      const ours = predict(model, X, 4);
      const ort = await session.run(X, 4);
      expect(Array.from(ort.labels)).toEqual([0, 1, 1, 0]);
      expect(Array.from(ort.labels)).toEqual(Array.from(ours.labels));
      for (let i = 0; i < 8; i++) expect(ort.probabilities[i]).toBeCloseTo(ours.probabilities[i], 6);
    } finally {
      await session.release();
    }
  });
});

describe('OnnxModelSession.create', () => {
  it('refuses bytes that are not a model', async () => {
    await expect(OnnxModelSession.create({ model: Uint8Array.from([1, 2, 3]) })).rejects.toMatchObject({ code: 'INFERENCE.MODEL_LOAD_FAILED' });
  });
});
