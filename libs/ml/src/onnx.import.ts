// Reads a TreeEnsembleClassifier ONNX model back into a TreeEnsemble: our own exports
// round-trip exactly, and standard ones (skl2onnx style, both classes weighted, ZipMap
// after the node) are read from their tree attributes.
import { type PostTransform, type Tree, type TreeEnsemble, type TreeEnsembleKind } from './tree-ensemble.model';
import { type DecodedAttribute, decodeModel } from './onnx.decode';
import { OnnxFormatError } from './onnx.errors';
import { META_FEATURES, META_KIND } from './onnx.proto-ids';

export interface OnnxTreeEnsembleFile {
  readonly model: TreeEnsemble;
  readonly featureNames?: string[];
  readonly classLabels: string[] | number[];
  readonly metadata: Record<string, string>;
}

interface NodeTable {
  treeIds: number[]; nodeIds: number[]; featureIds: number[]; modes: string[]; values: number[];
  trueIds: number[]; falseIds: number[]; missingTrue: number[];
  classTreeIds: number[]; classNodeIds: number[]; classIds: number[]; classWeights: number[];
}

function table(attrs: Map<string, DecodedAttribute>): NodeTable {
  const get = (name: string): DecodedAttribute => attrs.get(name) ?? { ints: [], floats: [], strings: [] };
  if (!attrs.has('nodes_values')) throw new OnnxFormatError('nodes_values missing (double-precision *_as_tensor models are not supported)');
  return {
    treeIds: get('nodes_treeids').ints, nodeIds: get('nodes_nodeids').ints, featureIds: get('nodes_featureids').ints,
    modes: get('nodes_modes').strings, values: get('nodes_values').floats, trueIds: get('nodes_truenodeids').ints,
    falseIds: get('nodes_falsenodeids').ints, missingTrue: get('nodes_missing_value_tracks_true').ints,
    classTreeIds: get('class_treeids').ints, classNodeIds: get('class_nodeids').ints, classIds: get('class_ids').ints,
    classWeights: get('class_weights').floats,
  };
}

function postTransformOf(attrs: Map<string, DecodedAttribute>): PostTransform {
  const p = attrs.get('post_transform')?.s ?? 'NONE';
  if (p === 'NONE') return 'none';
  if (p === 'LOGISTIC') return 'logistic';
  if (p === 'SOFTMAX') return 'softmax';
  throw new OnnxFormatError('unsupported post_transform', { postTransform: p });
}

function threshold(mode: string, value: number): number {
  if (mode === 'BRANCH_LEQ') return value;
  // x < t and x <= (the float32 just below t) agree on every float32 x.
  if (mode === 'BRANCH_LT') return float32Below(value);
  throw new OnnxFormatError('unsupported node mode', { mode });
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

function float32Below(t: number): number {
  if (t === -Infinity) return t;
  if (t === 0) return -1.401298464324817e-45;
  f32[0] = t;
  if (t > 0) u32[0] -= 1;
  else u32[0] += 1;
  return f32[0];
}

interface Layout {
  treeOf: Map<number, number>;
  index: Map<string, number>;
  sizes: number[];
}

function layout(t: NodeTable): Layout {
  const treeOf = new Map<number, number>();
  const index = new Map<string, number>();
  const sizes: number[] = [];
  for (let i = 0; i < t.treeIds.length; i++) {
    let tree = treeOf.get(t.treeIds[i]);
    if (tree === undefined) {
      tree = sizes.length;
      treeOf.set(t.treeIds[i], tree);
      sizes.push(0);
    }
    index.set(`${t.treeIds[i]}:${t.nodeIds[i]}`, sizes[tree]++);
  }
  return { treeOf, index, sizes };
}

function buildTrees(t: NodeTable, lay: Layout, width: number): Tree[] {
  const trees = lay.sizes.map((n) => ({
    feature: new Int32Array(n).fill(-1), threshold: new Float32Array(n),
    left: new Int32Array(n).fill(-1), right: new Int32Array(n).fill(-1), value: new Float64Array(n * width),
  }));
  const at = (treeId: number, nodeId: number): number => {
    const i = lay.index.get(`${treeId}:${nodeId}`);
    if (i === undefined) throw new OnnxFormatError('node id out of range', { treeId, nodeId });
    return i;
  };
  for (let i = 0; i < t.treeIds.length; i++) {
    if (t.modes[i] === 'LEAF') continue;
    if (t.missingTrue[i] === 1) throw new OnnxFormatError('nodes_missing_value_tracks_true is not supported (NaN must go right)');
    const tree = trees[lay.treeOf.get(t.treeIds[i]) as number];
    const n = at(t.treeIds[i], t.nodeIds[i]);
    tree.feature[n] = t.featureIds[i];
    tree.threshold[n] = threshold(t.modes[i], t.values[i]);
    tree.left[n] = at(t.treeIds[i], t.trueIds[i]);
    tree.right[n] = at(t.treeIds[i], t.falseIds[i]);
  }
  return trees;
}

function kindOf(meta: Record<string, string>, post: PostTransform, nTrees: number): TreeEnsembleKind {
  const k = meta[META_KIND];
  if (k === 'rf' || k === 'dt' || k === 'gbt') return k;
  if (post !== 'none') return 'gbt';
  return nTrees === 1 ? 'dt' : 'rf';
}

/** Leaf values from class weights; forests store P/n_trees per tree, so scale back by n_trees. */
function fillLeaves(a: { t: NodeTable; lay: Layout; trees: Tree[]; kind: TreeEnsembleKind; width: number; singleColumnBinary: boolean }): void {
  const { t, lay, trees, kind, width, singleColumnBinary } = a;
  const scale = kind === 'gbt' ? 1 : trees.length;
  for (let i = 0; i < t.classIds.length; i++) {
    const tree = trees[lay.treeOf.get(t.classTreeIds[i]) as number];
    const n = lay.index.get(`${t.classTreeIds[i]}:${t.classNodeIds[i]}`);
    if (tree === undefined || n === undefined) throw new OnnxFormatError('class weight on unknown node', { i });
    const k = singleColumnBinary && kind !== 'gbt' ? 1 : t.classIds[i];
    if (k >= width) throw new OnnxFormatError('class id out of range', { classId: t.classIds[i] });
    tree.value[n * width + k] += t.classWeights[i] * scale;
  }
  if (!singleColumnBinary || kind === 'gbt') return;
  for (const tree of trees) {
    for (let n = 0; n < tree.feature.length; n++) if (tree.feature[n] < 0) tree.value[n * 2] = 1 - tree.value[n * 2 + 1];
  }
}

function readLabels(attrs: Map<string, DecodedAttribute>): string[] | number[] {
  const strings = attrs.get('classlabels_strings')?.strings ?? [];
  if (strings.length > 0) return strings;
  const ints = attrs.get('classlabels_int64s')?.ints ?? [];
  if (ints.length > 0) return ints;
  throw new OnnxFormatError('no class labels (classlabels_strings or classlabels_int64s)');
}

/** Reads a graph of exactly one TreeEnsembleClassifier; gated graphs: readOnnxGatedEnsemble. */
export function readOnnxTreeEnsemble(bytes: Uint8Array): OnnxTreeEnsembleFile {
  const decoded = decodeModel(bytes);
  if (decoded.treeNodes.length > 1) {
    throw new OnnxFormatError(`the graph holds ${decoded.treeNodes.length} TreeEnsembleClassifier nodes (a gated model? read it with readOnnxGatedEnsemble)`);
  }
  return ensembleFromNode({ attrs: decoded.treeNodes[0].attributes, metadata: decoded.metadata, inputWidth: decoded.inputWidth });
}

/** One TreeEnsembleClassifier node's trees; `metadata` names the kind when the node alone cannot. */
export function ensembleFromNode(args: { attrs: Map<string, DecodedAttribute>; metadata: Record<string, string>; inputWidth?: number }): OnnxTreeEnsembleFile {
  const { attrs, metadata } = args;
  const classLabels = readLabels(attrs);
  const nClasses = classLabels.length;
  const t = table(attrs);
  const post = postTransformOf(attrs);
  const lay = layout(t);
  const kind = kindOf(metadata, post, lay.sizes.length);
  const singleColumnBinary = nClasses === 2 && t.classIds.every((k) => k === 0);
  if (kind === 'gbt' && nClasses === 2 && !singleColumnBinary) throw new OnnxFormatError('two-class boosted models must carry one margin (class_ids all 0)');
  const width = kind === 'gbt' && singleColumnBinary ? 1 : nClasses;
  const trees = buildTrees(t, lay, width);
  fillLeaves({ t, lay, trees, kind, width, singleColumnBinary });
  const base = attrs.get('base_values')?.floats ?? [];
  const nFeatures = args.inputWidth ?? Math.max(0, ...t.featureIds) + 1;
  const model: TreeEnsemble = { kind, nFeatures, nClasses, valueWidth: width, trees, baseScores: Float32Array.from(base), postTransform: post };
  const names = metadata[META_FEATURES];
  return { model, classLabels, metadata, featureNames: names ? (JSON.parse(names) as string[]) : undefined };
}
