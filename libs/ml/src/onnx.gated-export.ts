// Writes a GatedEnsemble as ONE ONNX graph: two TreeEnsembleClassifier nodes on the same
// input, then probabilities = Concat(P_det(normal), P_det(attack) × P_cat) and
// label = LabelEncoder(ArgMax(probabilities)), so any onnxruntime host gets the gated
// probabilities without knowing about the gate.
import { type GatedEnsemble, checkGated } from './gated-ensemble.model';
import { OnnxExportError } from './onnx.errors';
import { checkExportOptions, type OnnxExportOptions } from './onnx.export';
import { ELEM, GRAPH, META_FEATURES, META_KIND, ML_DOMAIN } from './onnx.proto-ids';
import { int, ints, str, strs, treeEnsembleNode, valueInfo, writeModel, writeNode } from './onnx.graph';

export const GATED_KIND = 'gated';
export const GATE_NODE = 'gate_detector';
export const CATEGORY_NODE = 'attack_categories';
export const META_CLASS_LABELS = 'vigil.class_labels';

export interface GatedOnnxExportOptions extends OnnxExportOptions {
  /** 1 + K labels: the normal class first, then the attack classes in category-model order. */
  readonly classLabels: readonly string[];
}

export function exportGatedOnnx(model: GatedEnsemble, opts: GatedOnnxExportOptions): Uint8Array {
  checkGated(model);
  const k = model.categories.nClasses;
  checkExportOptions({ nClasses: k + 1, nFeatures: model.detector.nFeatures }, opts);
  if (opts.classLabels.some((l) => typeof l !== 'string')) throw new OnnxExportError('gated models take string class labels');
  const metadata: Record<string, string> = {
    ...opts.metadata,
    [META_KIND]: GATED_KIND,
    'vigil.gate_kind': model.detector.kind,
    'vigil.categories_kind': model.categories.kind,
    [META_CLASS_LABELS]: JSON.stringify(opts.classLabels),
  };
  if (opts.featureNames) metadata[META_FEATURES] = JSON.stringify(opts.featureNames);
  const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
  return writeModel({
    producer: opts.producer,
    metadata,
    graph: (g) => {
      writeNode(g, treeEnsembleNode({ name: GATE_NODE, model: model.detector, labels: [0, 1], outputs: ['gate_label', 'gate_probabilities'] }));
      writeNode(g, treeEnsembleNode({ name: CATEGORY_NODE, model: model.categories, labels: range(k), outputs: ['category_label', 'category_probabilities'] }));
      writeNode(g, { name: 'split_gate', op: 'Split', inputs: ['gate_probabilities'], outputs: ['p_normal', 'p_attack'], attributes: [int('axis', 1)] });
      writeNode(g, { name: 'scale_categories', op: 'Mul', inputs: ['p_attack', 'category_probabilities'], outputs: ['p_categories'] });
      writeNode(g, { name: 'join', op: 'Concat', inputs: ['p_normal', 'p_categories'], outputs: ['probabilities'], attributes: [int('axis', 1)] });
      writeNode(g, { name: 'argmax', op: 'ArgMax', inputs: ['probabilities'], outputs: ['label_index'], attributes: [int('axis', 1), int('keepdims', 0)] });
      writeNode(g, {
        name: 'label_names', op: 'LabelEncoder', domain: ML_DOMAIN, inputs: ['label_index'], outputs: ['label'],
        attributes: [ints('keys_int64s', range(k + 1)), strs('values_strings', opts.classLabels), str('default_string', '')],
      });
      g.string(GRAPH.name, 'vigil_gated_tree_ensemble');
      valueInfo(g, GRAPH.input, { name: 'input', elem: ELEM.FLOAT, dims: ['N', model.detector.nFeatures] });
      valueInfo(g, GRAPH.output, { name: 'label', elem: ELEM.STRING, dims: ['N'] });
      valueInfo(g, GRAPH.output, { name: 'probabilities', elem: ELEM.FLOAT, dims: ['N', k + 1] });
    },
  });
}
