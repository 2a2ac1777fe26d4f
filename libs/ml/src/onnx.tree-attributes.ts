// Flattens a TreeEnsemble into TreeEnsembleClassifier node_* / class_* attribute arrays,
// with the leaf weights onnxruntime needs to reproduce predict() (see measured-here notes:
// binary forests carry one weight per leaf on class 0 = P(class 1) / n_trees).
import { leafWeights } from './tree-ensemble.predict';
import { type TreeEnsemble } from './tree-ensemble.model';

export interface TreeAttributes {
  nodesTreeIds: number[];
  nodesNodeIds: number[];
  nodesFeatureIds: number[];
  nodesModes: string[];
  nodesValues: number[];
  nodesTrueNodeIds: number[];
  nodesFalseNodeIds: number[];
  classTreeIds: number[];
  classNodeIds: number[];
  classIds: number[];
  classWeights: number[];
}

// A -min/+min subnormal pair adds exactly nothing but marks the weights "mixed sign", so
// onnxruntime applies the logistic to a binary boosted model whose leaves happen to be all >= 0.
const SUBNORMAL = 1.401298464324817e-45;

function leafEntries(model: TreeEnsemble, w: Float32Array, node: number): [number, number][] {
  const width = model.valueWidth;
  const o = node * width;
  if (model.nClasses === 2 && model.kind !== 'gbt') return [[0, w[o + 1]]];
  if (width === 1) return [[0, w[o]]];
  const out: [number, number][] = [];
  for (let k = 0; k < width; k++) if (w[o + k] !== 0) out.push([k, w[o + k]]);
  return out.length > 0 ? out : [[0, 0]];
}

export function treeAttributes(model: TreeEnsemble): TreeAttributes {
  const a: TreeAttributes = {
    nodesTreeIds: [], nodesNodeIds: [], nodesFeatureIds: [], nodesModes: [], nodesValues: [],
    nodesTrueNodeIds: [], nodesFalseNodeIds: [], classTreeIds: [], classNodeIds: [], classIds: [], classWeights: [],
  };
  model.trees.forEach((tree, t) => {
    const w = leafWeights(model, tree);
    for (let i = 0; i < tree.feature.length; i++) {
      const leaf = tree.feature[i] < 0;
      a.nodesTreeIds.push(t);
      a.nodesNodeIds.push(i);
      a.nodesFeatureIds.push(leaf ? 0 : tree.feature[i]);
      a.nodesModes.push(leaf ? 'LEAF' : 'BRANCH_LEQ');
      a.nodesValues.push(leaf ? 0 : tree.threshold[i]);
      a.nodesTrueNodeIds.push(leaf ? 0 : tree.left[i]);
      a.nodesFalseNodeIds.push(leaf ? 0 : tree.right[i]);
      if (!leaf) continue;
      for (const [k, v] of leafEntries(model, w, i)) {
        a.classTreeIds.push(t);
        a.classNodeIds.push(i);
        a.classIds.push(k);
        a.classWeights.push(v);
      }
    }
  });
  if (model.kind === 'gbt' && model.valueWidth === 1 && !a.classWeights.some((v) => v < 0)) {
    for (const v of [-SUBNORMAL, SUBNORMAL]) {
      a.classTreeIds.push(a.classTreeIds[0]);
      a.classNodeIds.push(a.classNodeIds[0]);
      a.classIds.push(0);
      a.classWeights.push(v);
    }
  }
  return a;
}
