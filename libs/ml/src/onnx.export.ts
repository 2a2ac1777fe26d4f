// Writes a TreeEnsemble as an ONNX model: one ai.onnx.ml TreeEnsembleClassifier, input
// `input` float [N, F], outputs `label` [N] and `probabilities` [N, C] (a plain tensor).
import { type TreeEnsemble } from './tree-ensemble.model';
import { OnnxExportError } from './onnx.errors';
import { ATTR, ATTR_TYPE, DIM, ELEM, ENTRY, GRAPH, META_FEATURES, META_KIND, ML_DOMAIN, MODEL, NODE, OPSET, OP_TYPE, SHAPE, TENSOR_TYPE, TYPE, VALUE_INFO } from './onnx.proto-ids';
import { ProtoWriter } from './protobuf.writer';
import { treeAttributes } from './onnx.tree-attributes';

export interface OnnxExportOptions {
  readonly featureNames?: readonly string[];
  readonly classLabels: readonly string[] | readonly number[];
  /** Written to ModelProto.metadata_props (e.g. the model manifest). */
  readonly metadata?: Readonly<Record<string, string>>;
  readonly producer?: { readonly name: string; readonly version?: string };
}

const IR_VERSION = 8;
const ONNX_OPSET = 17;
const ML_OPSET = 3;

type Attr = (w: ProtoWriter) => void;

const ints = (name: string, v: ArrayLike<number>): Attr => (w) => w.string(ATTR.name, name).int(ATTR.type, ATTR_TYPE.INTS).packedInts(ATTR.ints, v);
const floats = (name: string, v: ArrayLike<number>): Attr => (w) => w.string(ATTR.name, name).int(ATTR.type, ATTR_TYPE.FLOATS).packedFloats(ATTR.floats, v);
const str = (name: string, v: string): Attr => (w) => w.string(ATTR.name, name).int(ATTR.type, ATTR_TYPE.STRING).string(ATTR.s, v);
const strs = (name: string, v: readonly string[]): Attr => (w) => {
  w.string(ATTR.name, name).int(ATTR.type, ATTR_TYPE.STRINGS);
  for (const s of v) w.string(ATTR.strings, s);
};

function attributes(model: TreeEnsemble, labels: readonly string[] | readonly number[]): Attr[] {
  const a = treeAttributes(model);
  const post = model.postTransform === 'none' ? 'NONE' : model.postTransform === 'logistic' ? 'LOGISTIC' : 'SOFTMAX';
  const out: Attr[] = [
    ints('nodes_treeids', a.nodesTreeIds), ints('nodes_nodeids', a.nodesNodeIds), ints('nodes_featureids', a.nodesFeatureIds),
    strs('nodes_modes', a.nodesModes), floats('nodes_values', a.nodesValues),
    ints('nodes_truenodeids', a.nodesTrueNodeIds), ints('nodes_falsenodeids', a.nodesFalseNodeIds),
    ints('class_treeids', a.classTreeIds), ints('class_nodeids', a.classNodeIds), ints('class_ids', a.classIds),
    floats('class_weights', a.classWeights), str('post_transform', post),
  ];
  if (model.baseScores.length > 0) out.push(floats('base_values', model.baseScores));
  out.push(typeof labels[0] === 'number' ? ints('classlabels_int64s', labels as readonly number[]) : strs('classlabels_strings', labels as readonly string[]));
  return out;
}

function valueInfo(w: ProtoWriter, field: number, v: { name: string; elem: number; dims: (number | string)[] }): void {
  w.message(field, (vi) => {
    vi.string(VALUE_INFO.name, v.name);
    vi.message(VALUE_INFO.type, (t) => t.message(TYPE.tensorType, (tt) => {
      tt.int(TENSOR_TYPE.elemType, v.elem);
      tt.message(TENSOR_TYPE.shape, (s) => {
        for (const d of v.dims) s.message(SHAPE.dim, (dw) => (typeof d === 'number' ? dw.int(DIM.value, d) : dw.string(DIM.param, d)));
      });
    }));
  });
}

function checkOptions(model: TreeEnsemble, opts: OnnxExportOptions): void {
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
  checkOptions(model, opts);
  const labelElem = typeof opts.classLabels[0] === 'number' ? ELEM.INT64 : ELEM.STRING;
  const meta: Record<string, string> = { ...opts.metadata, [META_KIND]: model.kind };
  if (opts.featureNames) meta[META_FEATURES] = JSON.stringify(opts.featureNames);
  const w = new ProtoWriter();
  w.int(MODEL.irVersion, IR_VERSION);
  w.string(MODEL.producerName, opts.producer?.name ?? 'vigil').string(MODEL.producerVersion, opts.producer?.version ?? '0');
  w.message(MODEL.graph, (g) => {
    g.message(GRAPH.node, (n) => {
      n.string(NODE.input, 'input').string(NODE.output, 'label').string(NODE.output, 'probabilities');
      n.string(NODE.name, 'tree_ensemble').string(NODE.opType, OP_TYPE).string(NODE.domain, ML_DOMAIN);
      for (const attr of attributes(model, opts.classLabels)) n.message(NODE.attribute, attr);
    });
    g.string(GRAPH.name, 'vigil_tree_ensemble');
    valueInfo(g, GRAPH.input, { name: 'input', elem: ELEM.FLOAT, dims: ['N', model.nFeatures] });
    valueInfo(g, GRAPH.output, { name: 'label', elem: labelElem, dims: ['N'] });
    valueInfo(g, GRAPH.output, { name: 'probabilities', elem: ELEM.FLOAT, dims: ['N', model.nClasses] });
  });
  w.message(MODEL.opsetImport, (o) => o.string(OPSET.domain, '').int(OPSET.version, ONNX_OPSET));
  w.message(MODEL.opsetImport, (o) => o.string(OPSET.domain, ML_DOMAIN).int(OPSET.version, ML_OPSET));
  for (const key of Object.keys(meta).sort()) w.message(MODEL.metadataProps, (e) => e.string(ENTRY.key, key).string(ENTRY.value, meta[key]));
  return w.finish();
}
