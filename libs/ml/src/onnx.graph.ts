// Shared ONNX graph-writing pieces: attributes, nodes, value infos, the model envelope.
import { type TreeEnsemble } from './tree-ensemble.model';
import { ATTR, ATTR_TYPE, DIM, ENTRY, GRAPH, MODEL, NODE, OPSET, OP_TYPE, ML_DOMAIN, SHAPE, TENSOR_TYPE, TYPE, VALUE_INFO } from './onnx.proto-ids';
import { ProtoWriter } from './protobuf.writer';
import { treeAttributes } from './onnx.tree-attributes';

export type Attr = (w: ProtoWriter) => void;

export const IR_VERSION = 8;
export const ONNX_OPSET = 17;
export const ML_OPSET = 3;

export const int = (name: string, v: number): Attr => (w) => w.string(ATTR.name, name).int(ATTR.type, ATTR_TYPE.INT).int(ATTR.i, v);
export const ints = (name: string, v: ArrayLike<number>): Attr => (w) => w.string(ATTR.name, name).int(ATTR.type, ATTR_TYPE.INTS).packedInts(ATTR.ints, v);
export const floats = (name: string, v: ArrayLike<number>): Attr => (w) => w.string(ATTR.name, name).int(ATTR.type, ATTR_TYPE.FLOATS).packedFloats(ATTR.floats, v);
export const str = (name: string, v: string): Attr => (w) => w.string(ATTR.name, name).int(ATTR.type, ATTR_TYPE.STRING).string(ATTR.s, v);
export const strs = (name: string, v: readonly string[]): Attr => (w) => {
  w.string(ATTR.name, name).int(ATTR.type, ATTR_TYPE.STRINGS);
  for (const s of v) w.string(ATTR.strings, s);
};

export function treeEnsembleAttributes(model: TreeEnsemble, labels: readonly string[] | readonly number[]): Attr[] {
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

export interface NodeSpec {
  readonly name: string;
  readonly op: string;
  readonly domain?: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes?: readonly Attr[];
}

export function writeNode(g: ProtoWriter, spec: NodeSpec): void {
  g.message(GRAPH.node, (n) => {
    for (const i of spec.inputs) n.string(NODE.input, i);
    for (const o of spec.outputs) n.string(NODE.output, o);
    n.string(NODE.name, spec.name).string(NODE.opType, spec.op);
    if (spec.domain) n.string(NODE.domain, spec.domain);
    for (const attr of spec.attributes ?? []) n.message(NODE.attribute, attr);
  });
}

export function treeEnsembleNode(args: { name: string; model: TreeEnsemble; labels: readonly string[] | readonly number[]; outputs: readonly [string, string] }): NodeSpec {
  return { name: args.name, op: OP_TYPE, domain: ML_DOMAIN, inputs: ['input'], outputs: args.outputs, attributes: treeEnsembleAttributes(args.model, args.labels) };
}

export function valueInfo(w: ProtoWriter, field: number, v: { name: string; elem: number; dims: (number | string)[] }): void {
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

/** ModelProto around a graph, with sorted metadata so the bytes never depend on insertion order. */
export function writeModel(args: { producer?: { name: string; version?: string }; metadata: Record<string, string>; graph: (g: ProtoWriter) => void }): Uint8Array {
  const w = new ProtoWriter();
  w.int(MODEL.irVersion, IR_VERSION);
  w.string(MODEL.producerName, args.producer?.name ?? 'vigil').string(MODEL.producerVersion, args.producer?.version ?? '0');
  w.message(MODEL.graph, args.graph);
  w.message(MODEL.opsetImport, (o) => o.string(OPSET.domain, '').int(OPSET.version, ONNX_OPSET));
  w.message(MODEL.opsetImport, (o) => o.string(OPSET.domain, ML_DOMAIN).int(OPSET.version, ML_OPSET));
  const meta = args.metadata;
  for (const key of Object.keys(meta).sort()) w.message(MODEL.metadataProps, (e) => e.string(ENTRY.key, key).string(ENTRY.value, meta[key]));
  return w.finish();
}
