// The rules a model version must meet before the registry accepts it, as pure functions over
// the manifest, the contract and what onnxruntime says about the model. Each failure names the
// stable code and exactly what disagrees.
import { type ModelManifest, featureIndex, getContract, modelManifestSchema } from '@vigil/contracts';
import { REGISTRY_ERROR_CODES as C, RegistryError } from '../model-registry.errors';

/** Validates a raw manifest; a missing `version` is filled in (the registry numbers versions itself). */
export function parseManifest(raw: unknown): ModelManifest {
  const withVersion = raw !== null && typeof raw === 'object' && !Array.isArray(raw) && (raw as { version?: unknown }).version === undefined ? { ...raw, version: 1 } : raw;
  const parsed = modelManifestSchema.safeParse(withVersion);
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 8).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new RegistryError(C.ManifestInvalid, `manifest does not match the model manifest schema: ${problems.join('; ')}`, { problems });
  }
  const manifest = parsed.data;
  const dupFeatures = duplicates(manifest.features);
  if (dupFeatures.length > 0) throw new RegistryError(C.ManifestInvalid, `manifest lists features more than once: ${dupFeatures.join(', ')}`, { duplicates: dupFeatures });
  const dupClasses = duplicates(manifest.classLabels);
  if (dupClasses.length > 0) throw new RegistryError(C.ManifestInvalid, `manifest lists class labels more than once: ${dupClasses.join(', ')}`, { duplicates: dupClasses });
  return manifest;
}

/** Context features (derived from the envelope, e.g. ctx.src_in_home_net) carry this prefix; whether this build can feed one is the golden run's question. */
export const CONTEXT_PREFIX = 'ctx.';

/** Context features a manifest may declare beside the contract's canonical ones (an optional manifest field). */
export function contextFeaturesOf(raw: unknown): string[] {
  const value = raw !== null && typeof raw === 'object' ? (raw as { contextFeatures?: unknown }).contextFeatures : undefined;
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** The manifest reads this build's version of its contract, and only its features (or declared context features). */
export function checkContract(manifest: ModelManifest, contextFeatures: readonly string[] = []): void {
  const contract = getContract(manifest.contract.id);
  const ref = `${contract.id}@${contract.version}`;
  if (contract.version !== manifest.contract.version) {
    throw new RegistryError(C.ModelContractMismatch, `manifest reads ${contract.id}@${manifest.contract.version}, this registry serves ${ref}`, { contract: ref });
  }
  const unknown = manifest.features.filter((f) => featureIndex(contract, f) < 0 && !f.startsWith(CONTEXT_PREFIX) && !contextFeatures.includes(f));
  if (unknown.length > 0) {
    throw new RegistryError(C.ModelContractMismatch, `features ${unknown.join(', ')} are not canonical features of contract ${ref} nor declared context features`, { contract: ref, unknown });
  }
}

/** The ONNX input width and class count agree with the manifest's feature selection and labels. */
export function checkShape(manifest: ModelManifest, model: { nFeatures: number; nClasses: number }): void {
  const ref = `${manifest.contract.id}@${manifest.contract.version}`;
  if (model.nFeatures !== manifest.features.length) {
    throw new RegistryError(C.ModelContractMismatch, `model expects ${model.nFeatures} features, contract ${ref} selection has ${manifest.features.length}`, {
      modelFeatures: model.nFeatures, manifestFeatures: manifest.features.length, contract: ref,
    });
  }
  if (model.nClasses !== manifest.classLabels.length) {
    throw new RegistryError(C.ClassLabelsMismatch, `model gives ${model.nClasses} class probabilities, manifest names ${manifest.classLabels.length} classes (${manifest.classLabels.join(', ')})`, {
      modelClasses: model.nClasses, manifestClasses: manifest.classLabels,
    });
  }
}

/** The labels written in the ONNX graph (when it has them) are the manifest's, in the same order. */
export function checkOnnxLabels(manifest: ModelManifest, onnxLabels: readonly (string | number)[] | undefined): void {
  if (onnxLabels === undefined) return;
  const expected = typeof onnxLabels[0] === 'number' ? manifest.classLabels.map((_, i) => i) : manifest.classLabels;
  if (onnxLabels.length !== expected.length || onnxLabels.some((l, i) => String(l) !== String(expected[i]))) {
    throw new RegistryError(C.ClassLabelsMismatch, `model class labels [${onnxLabels.join(', ')}] differ from manifest classLabels [${expected.join(', ')}]`, {
      modelLabels: onnxLabels.map(String), manifestLabels: manifest.classLabels,
    });
  }
}

// float32 rounding: onnxruntime derives a binary model's first column as 1 - p, which can land a few ulps below 0.
const SUM_TOLERANCE = 1e-4;

/**
 * Every row's probabilities are finite, in [0, 1], sum to 1, and the label follows the manifest's
 * decision rule: a detector says its positive class exactly when P(positive) reaches the threshold;
 * a gated classifier (normalClass) says normal or its most likely attack class; any other model
 * says its most likely class.
 */
export function checkProbabilities(args: {
  probabilities: Float32Array; labels: Int32Array; count: number; classLabels: readonly string[];
  normalClass?: number; positiveClass?: number; threshold?: number;
}): void {
  const n = args.classLabels.length;
  for (let r = 0; r < args.count; r++) {
    const row = args.probabilities.subarray(r * n, (r + 1) * n);
    checkRow(row, r, args.classLabels);
    const label = args.labels[r];
    if (label < 0 || label >= n || !labelFollowsRule(row, label, args)) {
      const said = label < 0 || label >= n ? 'a label outside classLabels' : args.classLabels[label];
      throw new RegistryError(C.ClassLabelsMismatch, `golden row ${r}: model labels it ${said}, which its probabilities and decision rule do not give (most likely class ${args.classLabels[argmax(row, -1)]})`, { row: r });
    }
  }
}

function labelFollowsRule(row: Float32Array, label: number, rule: { normalClass?: number; positiveClass?: number; threshold?: number }): boolean {
  if (rule.positiveClass !== undefined && rule.threshold !== undefined) {
    const positive = row[rule.positiveClass] >= rule.threshold;
    return positive ? label === rule.positiveClass : label !== rule.positiveClass && row[label] >= row[argmax(row, rule.positiveClass)];
  }
  if (rule.normalClass !== undefined) return label === rule.normalClass || label === argmax(row, rule.normalClass);
  return row[label] >= row[argmax(row, -1)];
}

function checkRow(row: Float32Array, r: number, classLabels: readonly string[]): void {
  let sum = 0;
  for (let k = 0; k < row.length; k++) {
    const p = row[k];
    if (!Number.isFinite(p) || p < -SUM_TOLERANCE || p > 1 + SUM_TOLERANCE) throw new RegistryError(C.ProbabilitiesInvalid, `golden row ${r}: probability of ${classLabels[k]} is ${p}, not in [0, 1]`, { row: r, value: p });
    sum += p;
  }
  if (Math.abs(sum - 1) > SUM_TOLERANCE) throw new RegistryError(C.ProbabilitiesInvalid, `golden row ${r}: probabilities sum to ${sum.toFixed(6)}, not 1 ± ${SUM_TOLERANCE}`, { row: r, sum });
}

function argmax(row: Float32Array, skip: number): number {
  let best = skip === 0 ? 1 : 0;
  for (let k = 0; k < row.length; k++) if (k !== skip && row[k] > row[best]) best = k;
  return best;
}

function duplicates(values: readonly string[]): string[] {
  return [...new Set(values.filter((v, i) => values.indexOf(v) !== i))];
}
