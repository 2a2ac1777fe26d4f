// Writes a TreeEnsemble as an ONNX model: one ai.onnx.ml TreeEnsembleClassifier, input
// `input` float [N, F], outputs `label` [N] and `probabilities` [N, C] (a plain tensor).
import { type TreeEnsemble } from './tree-ensemble.model';
import { OnnxExportError } from './onnx.errors';
import { ELEM, GRAPH, META_FEATURES, META_KIND } from './onnx.proto-ids';
import { treeEnsembleNode, valueInfo, writeModel, writeNode } from './onnx.graph';

export interface OnnxExportOptions {
  readonly featureNames?: readonly string[];
  readonly classLabels: readonly string[] | readonly number[];
  /** Written to ModelProto.metadata_props (e.g. the model manifest). */
  readonly metadata?: Readonly<Record<string, string>>;
  readonly producer?: { readonly name: string; readonly version?: string };
}

export function checkExportOptions(model: { nClasses: number; nFeatures: number }, opts: OnnxExportOptions): void {
  const labels = opts.classLabels;
  if (labels.length !== model.nClasses) throw new OnnxExportError('classLabels must have one label per class', { expected: model.nClasses, got: labels.length });
  const numeric = labels.every((l) => typeof l === 'number' && Number.isInteger(l));
  const text = labels.every((l) => typeof l === 'string');
  if (!numeric && !text) throw new OnnxExportError('classLabels must be all integers or all strings');
  if (opts.featureNames && opts.featureNames.length !== model.nFeatures) {
    throw new OnnxExportError('featureNames must have one name per feature', { expected: model.nFeatures, got: opts.featureNames.length });
  }
}

export function exportOnnx(model: TreeEnsemble, opts: OnnxExportOptions): Uint8Array {
  checkExportOptions(model, opts);
  const labelElem = typeof opts.classLabels[0] === 'number' ? ELEM.INT64 : ELEM.STRING;
  const metadata: Record<string, string> = { ...opts.metadata, [META_KIND]: model.kind };
  if (opts.featureNames) metadata[META_FEATURES] = JSON.stringify(opts.featureNames);
  return writeModel({
    producer: opts.producer,
    metadata,
    graph: (g) => {
      writeNode(g, treeEnsembleNode({ name: 'tree_ensemble', model, labels: opts.classLabels, outputs: ['label', 'probabilities'] }));
      g.string(GRAPH.name, 'vigil_tree_ensemble');
      valueInfo(g, GRAPH.input, { name: 'input', elem: ELEM.FLOAT, dims: ['N', model.nFeatures] });
      valueInfo(g, GRAPH.output, { name: 'label', elem: labelElem, dims: ['N'] });
      valueInfo(g, GRAPH.output, { name: 'probabilities', elem: ELEM.FLOAT, dims: ['N', model.nClasses] });
    },
  });
}
