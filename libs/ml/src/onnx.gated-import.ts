// Reads a gated ONNX graph (exportGatedOnnx) back into its two tree ensembles.
import { type GatedEnsemble } from './gated-ensemble.model';
import { decodeModel } from './onnx.decode';
import { OnnxFormatError } from './onnx.errors';
import { CATEGORY_NODE, GATE_NODE, GATED_KIND, META_CLASS_LABELS } from './onnx.gated-export';
import { ensembleFromNode } from './onnx.import';
import { META_FEATURES, META_KIND } from './onnx.proto-ids';

export interface OnnxGatedEnsembleFile {
  readonly model: GatedEnsemble;
  readonly featureNames?: string[];
  /** normal first, then the attack classes. */
  readonly classLabels: string[];
  readonly metadata: Record<string, string>;
}

export function isGatedOnnx(bytes: Uint8Array): boolean {
  return decodeModel(bytes).metadata[META_KIND] === GATED_KIND;
}

export function readOnnxGatedEnsemble(bytes: Uint8Array): OnnxGatedEnsembleFile {
  const decoded = decodeModel(bytes);
  const { metadata } = decoded;
  if (metadata[META_KIND] !== GATED_KIND) throw new OnnxFormatError('not a gated model (metadata vigil.model_kind is not "gated")');
  const node = (name: string) => {
    const found = decoded.treeNodes.find((n) => n.name === name);
    if (!found) throw new OnnxFormatError(`gated model lacks its ${name} node`);
    return found.attributes;
  };
  const withKind = (key: string): Record<string, string> => ({ ...metadata, [META_KIND]: metadata[key] ?? '' });
  const detector = ensembleFromNode({ attrs: node(GATE_NODE), metadata: withKind('vigil.gate_kind'), inputWidth: decoded.inputWidth }).model;
  const categories = ensembleFromNode({ attrs: node(CATEGORY_NODE), metadata: withKind('vigil.categories_kind'), inputWidth: decoded.inputWidth }).model;
  const classLabels = JSON.parse(metadata[META_CLASS_LABELS] ?? '[]') as string[];
  if (classLabels.length !== categories.nClasses + 1) throw new OnnxFormatError('gated model label table does not match its classes', { labels: classLabels.length });
  const names = metadata[META_FEATURES];
  return { model: { detector, categories }, classLabels, metadata, featureNames: names ? (JSON.parse(names) as string[]) : undefined };
}
