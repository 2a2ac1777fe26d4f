// A gated classifier's parts straight from its ONNX bytes, without decoding the gate: whether
// the gate is, node for node, a given detector forest (the shipped NSL-KDD classifier's gate is
// the NSL-KDD detector, 116k nodes), and the category forest alone. The check compares the two
// TreeEnsembleClassifier nodes' attributes as raw protobuf bytes (views, nothing decoded):
// decoding both forests into trees would take ~50 MB of heap. Only the class labels may differ
// (the gate's are 0/1, a detector's its class names; probability columns are positional). Byte
// equality is sufficient, not necessary: a gate written differently counts as different.
import { decodeAttribute, type DecodedAttribute } from './onnx.decode';
import { OnnxFormatError } from './onnx.errors';
import { CATEGORY_NODE, GATE_NODE, GATED_KIND } from './onnx.gated-export';
import { ensembleFromNode } from './onnx.import';
import { ATTR, ENTRY, GRAPH, MODEL, NODE, META_KIND, OP_TYPE } from './onnx.proto-ids';
import { decodeString, fields } from './protobuf.reader';
import { type TreeEnsemble } from './tree-ensemble.model';

const LABEL_ATTRIBUTES = new Set(['classlabels_strings', 'classlabels_int64s']);

interface RawGraph {
  readonly metadata: Record<string, string>;
  /** Per TreeEnsembleClassifier node name: attribute name -> the attribute's raw bytes. */
  readonly trees: Map<string, Map<string, Uint8Array>>;
}

function attributeName(data: Uint8Array): string {
  for (const f of fields(data)) if (f.field === ATTR.name) return decodeString(f.data);
  return '';
}

function treeNode(data: Uint8Array): [string, Map<string, Uint8Array>] | undefined {
  let op = '';
  let name = '';
  const attrs = new Map<string, Uint8Array>();
  for (const f of fields(data)) {
    if (f.field === NODE.opType) op = decodeString(f.data);
    else if (f.field === NODE.name) name = decodeString(f.data);
    else if (f.field === NODE.attribute) attrs.set(attributeName(f.data), f.data);
  }
  return op === OP_TYPE ? [name, attrs] : undefined;
}

function rawGraph(bytes: Uint8Array): RawGraph {
  const out: RawGraph = { metadata: {}, trees: new Map() };
  for (const f of fields(bytes)) {
    if (f.field === MODEL.graph) {
      for (const g of fields(f.data)) {
        const node = g.field === GRAPH.node ? treeNode(g.data) : undefined;
        if (node) out.trees.set(...node);
      }
    } else if (f.field === MODEL.metadataProps) {
      const e = [...fields(f.data)];
      const text = (field: number): string => decodeString(e.find((x) => x.field === field)?.data ?? new Uint8Array(0));
      out.metadata[text(ENTRY.key)] = text(ENTRY.value);
    }
  }
  return out;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** True when `gated` is a gated model whose gate node equals the detector's only tree node, labels aside. */
export function gateMatchesDetector(args: { gated: Uint8Array; detector: Uint8Array }): boolean {
  const gated = rawGraph(args.gated);
  const detector = rawGraph(args.detector);
  const gate = gated.trees.get(GATE_NODE);
  if (gated.metadata[META_KIND] !== GATED_KIND || !gate || detector.trees.size !== 1) return false;
  const [forest] = detector.trees.values();
  const names = (m: Map<string, Uint8Array>): string[] => [...m.keys()].filter((k) => !LABEL_ATTRIBUTES.has(k)).sort();
  const keys = names(gate);
  if (keys.join('\n') !== names(forest).join('\n')) return false;
  return keys.every((k) => sameBytes(gate.get(k) as Uint8Array, forest.get(k) as Uint8Array));
}

/** The category forest of a gated model, decoding that node only; `inputWidth`: the model's feature count. */
export function readGatedCategories(gated: Uint8Array, inputWidth: number): TreeEnsemble {
  const raw = rawGraph(gated);
  const node = raw.trees.get(CATEGORY_NODE);
  if (raw.metadata[META_KIND] !== GATED_KIND || !node) throw new OnnxFormatError('not a gated model with a category forest');
  const attrs = new Map<string, DecodedAttribute>([...node.values()].map((data) => decodeAttribute(data)));
  return ensembleFromNode({ attrs, metadata: { ...raw.metadata, [META_KIND]: raw.metadata['vigil.categories_kind'] ?? '' }, inputWidth }).model;
}
