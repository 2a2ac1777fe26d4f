import { checkProbabilities, checkShape, contextFeaturesOf } from './manifest.rules';
import { type ModelManifest } from '@vigil/contracts';

const classLabels = ['benign', 'attack'];
const run = (values: number[], labels: number[]) =>
  checkProbabilities({ probabilities: Float32Array.from(values), labels: Int32Array.from(labels), count: labels.length, classLabels });

describe('checkProbabilities', () => {
  it('accepts rows that sum to one, with float32 rounding just below zero', () => {
    expect(() => run([0.25, 0.75, 1, 0, -0.000007, 1.000007], [1, 0, 1])).not.toThrow();
  });

  it('names the row and the class of a probability outside [0, 1] or not finite', () => {
    expect(() => run([0.5, 0.5, 1.5, -0.5], [0, 0])).toThrow('REGISTRY.PROBABILITIES_INVALID: golden row 1: probability of benign is 1.5, not in [0, 1]');
    expect(() => run([NaN, 1], [1])).toThrow(/golden row 0: probability of benign is NaN/);
  });

  it('rejects rows that do not sum to one', () => {
    expect(() => run([0.6, 0.6], [0])).toThrow(/PROBABILITIES_INVALID: golden row 0: probabilities sum to 1\.2/);
  });

  it('rejects a label that is not the most likely class, or outside the labels', () => {
    expect(() => run([0.9, 0.1], [1])).toThrow('REGISTRY.CLASS_LABELS_MISMATCH: golden row 0: model labels it attack, which its probabilities and decision rule do not give (most likely class benign)');
    expect(() => run([0.9, 0.1], [-1])).toThrow(/labels it a label outside classLabels/);
    expect(() => run([0.5, 0.5], [1])).not.toThrow();
  });

  it('holds a detector to its threshold: attack exactly when P(attack) reaches it', () => {
    const detector = (values: number[], labels: number[]) =>
      checkProbabilities({ probabilities: Float32Array.from(values), labels: Int32Array.from(labels), count: labels.length, classLabels, positiveClass: 1, threshold: 0.3 });
    expect(() => detector([0.6, 0.4, 0.8, 0.2], [1, 0])).not.toThrow();
    expect(() => detector([0.6, 0.4], [0])).toThrow(/golden row 0: model labels it benign/);
    expect(() => detector([0.8, 0.2], [1])).toThrow(/golden row 0: model labels it attack/);
  });
});

describe('checkShape', () => {
  const manifest = { features: ['a', 'b', 'c'], classLabels: ['x', 'y'], contract: { id: 'cicflowmeter', version: 1 } } as unknown as ModelManifest;
  it('states both widths when the model and the selection disagree', () => {
    expect(() => checkShape(manifest, { nFeatures: 4, nClasses: 2 })).toThrow('REGISTRY.MODEL_CONTRACT_MISMATCH: model expects 4 features, contract cicflowmeter@1 selection has 3');
    expect(() => checkShape(manifest, { nFeatures: 3, nClasses: 3 })).toThrow('REGISTRY.CLASS_LABELS_MISMATCH: model gives 3 class probabilities, manifest names 2 classes (x, y)');
  });
});

describe('contextFeaturesOf', () => {
  it('reads only string entries of an optional contextFeatures list', () => {
    expect(contextFeaturesOf({ contextFeatures: ['hour', 3] })).toEqual(['hour']);
    expect(contextFeaturesOf({})).toEqual([]);
    expect(contextFeaturesOf(null)).toEqual([]);
  });
});

describe('checkProbabilities of a gated classifier', () => {
  const labels3 = ['normal', 'DoS', 'Probe'];
  const gated = (values: number[], labels: number[]) =>
    checkProbabilities({ probabilities: Float32Array.from(values), labels: Int32Array.from(labels), count: labels.length, classLabels: labels3, normalClass: 0 });
  it('accepts normal or the most likely attack class, whatever the threshold decided', () => {
    expect(() => gated([0.6, 0.3, 0.1, 0.6, 0.3, 0.1], [0, 1])).not.toThrow();
  });
  it('rejects an attack class that is not the most likely one', () => {
    expect(() => gated([0.6, 0.3, 0.1], [2])).toThrow(/CLASS_LABELS_MISMATCH: golden row 0/);
  });
});
