// Decodes the parts of a ModelProto the tree-ensemble reader needs.
import { OnnxFormatError } from './onnx.errors';
import { ATTR, DIM, ENTRY, GRAPH, MODEL, NODE, OP_TYPE, SHAPE, TENSOR_TYPE, TYPE, VALUE_INFO } from './onnx.proto-ids';
import { decodeString, fields, pushFloats, pushInts } from './protobuf.reader';

export interface DecodedAttribute {
  ints: number[];
  floats: number[];
  strings: string[];
  s?: string;
  i?: number;
}

export interface DecodedTreeNode {
  name: string;
  attributes: Map<string, DecodedAttribute>;
}

export interface DecodedModel {
  metadata: Record<string, string>;
  /** Every TreeEnsembleClassifier node, in graph order. */
  treeNodes: DecodedTreeNode[];
  /** Input width when the graph input declares it. */
  inputWidth?: number;
}

export function decodeAttribute(data: Uint8Array): [string, DecodedAttribute] {
  let name = '';
  const a: DecodedAttribute = { ints: [], floats: [], strings: [] };
  for (const f of fields(data)) {
    if (f.field === ATTR.name) name = decodeString(f.data);
    else if (f.field === ATTR.ints) pushInts(f, a.ints);
    else if (f.field === ATTR.floats) pushFloats(f, a.floats);
    else if (f.field === ATTR.strings) a.strings.push(decodeString(f.data));
    else if (f.field === ATTR.s) a.s = decodeString(f.data);
    else if (f.field === ATTR.i) a.i = f.int;
    else if (f.field === ATTR.f) pushFloats(f, a.floats);
  }
  return [name, a];
}

function decodeNode(data: Uint8Array): DecodedTreeNode | null {
  let op = '';
  let name = '';
  const attrs = new Map<string, DecodedAttribute>();
  for (const f of fields(data)) {
    if (f.field === NODE.opType) op = decodeString(f.data);
    else if (f.field === NODE.name) name = decodeString(f.data);
    else if (f.field === NODE.attribute) attrs.set(...decodeAttribute(f.data));
  }
  return op === OP_TYPE ? { name, attributes: attrs } : null;
}

/** Second dimension of a [N, F] tensor input, if declared. */
function inputWidth(data: Uint8Array): number | undefined {
  const dims: (number | undefined)[] = [];
  for (const v of fields(data)) {
    if (v.field !== VALUE_INFO.type) continue;
    for (const t of fields(v.data)) {
      if (t.field !== TYPE.tensorType) continue;
      for (const tt of fields(t.data)) {
        if (tt.field !== TENSOR_TYPE.shape) continue;
        for (const d of fields(tt.data)) {
          if (d.field !== SHAPE.dim) continue;
          let value: number | undefined;
          for (const x of fields(d.data)) if (x.field === DIM.value) value = x.int;
          dims.push(value);
        }
      }
    }
  }
  return dims.length === 2 ? dims[1] : undefined;
}

function decodeGraph(data: Uint8Array, out: DecodedModel): void {
  for (const f of fields(data)) {
    if (f.field === GRAPH.node) {
      const node = decodeNode(f.data);
      if (node) out.treeNodes.push(node);
    } else if (f.field === GRAPH.input && out.inputWidth === undefined) {
      out.inputWidth = inputWidth(f.data);
    }
  }
}

export function decodeModel(bytes: Uint8Array): DecodedModel {
  const out: DecodedModel = { metadata: {}, treeNodes: [] };
  for (const f of fields(bytes)) {
    if (f.field === MODEL.graph) decodeGraph(f.data, out);
    else if (f.field === MODEL.metadataProps) {
      let key = '';
      let value = '';
      for (const e of fields(f.data)) {
        if (e.field === ENTRY.key) key = decodeString(e.data);
        else if (e.field === ENTRY.value) value = decodeString(e.data);
      }
      out.metadata[key] = value;
    }
  }
  if (out.treeNodes.length === 0) throw new OnnxFormatError('no ai.onnx.ml TreeEnsembleClassifier node in the graph');
  return out;
}
