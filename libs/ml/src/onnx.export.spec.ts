import { trainGradientBoosting } from './boosting.trainer';
import { trainDecisionTree, trainRandomForest } from './forest.trainer';
import { loadSample } from './ml-test.fixture';
import { exportOnnx } from './onnx.export';
import { readOnnxTreeEnsemble } from './onnx.import';
import { type TreeEnsemble } from './tree-ensemble.model';
import { predict } from './tree-ensemble.predict';

describe('exportOnnx / readOnnxTreeEnsemble', () => {
  const cases: [string, 'binary' | 'family', (s: Awaited<ReturnType<typeof loadSample>>) => Promise<TreeEnsemble>][] = [
    ['binary forest', 'binary', (s) => trainRandomForest(s, { nEstimators: 4, maxDepth: 6, workers: 1 })],
    ['multi-class forest', 'family', (s) => trainRandomForest(s, { nEstimators: 4, maxDepth: 6, workers: 1 })],
    ['decision tree', 'family', (s) => trainDecisionTree(s, { maxDepth: 5 })],
    ['binary boosting', 'binary', (s) => trainGradientBoosting(s, { nEstimators: 5 })],
    ['multi-class boosting', 'family', (s) => trainGradientBoosting(s, { nEstimators: 3 })],
  ];

  it.each(cases)('round-trips a %s with identical predictions, labels and metadata', async (_name, target, train) => {
    const set = await loadSample(target);
    const model = await train(set);
    const bytes = exportOnnx(model, {
      classLabels: set.classNames, featureNames: set.featureNames, metadata: { manifest: '{"name":"t"}' }, producer: { name: 'vigil-test', version: '1' },
    });
    const read = readOnnxTreeEnsemble(bytes);
    expect(read.classLabels).toEqual(set.classNames);
    expect(read.featureNames).toEqual(set.featureNames);
    expect(read.metadata).toMatchObject({ manifest: '{"name":"t"}', 'vigil.model_kind': model.kind });
    expect(read.model).toMatchObject({ kind: model.kind, nClasses: model.nClasses, nFeatures: model.nFeatures, postTransform: model.postTransform });
    const before = predict(model, set.X, set.nRows);
    const after = predict(read.model, set.X, set.nRows);
    expect(after.labels).toEqual(before.labels);
    expect(after.probabilities).toEqual(before.probabilities);
    expect(Buffer.from(exportOnnx(read.model, { classLabels: set.classNames, featureNames: set.featureNames, metadata: { manifest: '{"name":"t"}' }, producer: { name: 'vigil-test', version: '1' } })).equals(Buffer.from(bytes))).toBe(true);
  });

  it('writes integer labels as classlabels_int64s', async () => {
    const set = await loadSample('binary');
    const model = await trainDecisionTree(set, { maxDepth: 2 });
    expect(readOnnxTreeEnsemble(exportOnnx(model, { classLabels: [0, 1] })).classLabels).toEqual([0, 1]);
  });

  it('refuses labels that do not match the class count', async () => {
    const set = await loadSample('binary');
    const model = await trainDecisionTree(set, { maxDepth: 2 });
    expect(() => exportOnnx(model, { classLabels: ['only-one'] })).toThrow(expect.objectContaining({ code: 'ML.ONNX_EXPORT_INVALID' }));
    expect(() => readOnnxTreeEnsemble(Uint8Array.from([8, 1]))).toThrow(expect.objectContaining({ code: 'ML.ONNX_FORMAT_INVALID' }));
  });
});
