import { type Contract, getContract } from '@vigil/contracts';

/** A flagged flow's stored feature row: the packed float32 values as the detector read them. */
export interface StoredFeatureRow {
  contract: string;
  contractVersion: number;
  packed: Buffer;
}

export type FeatureValue = number | string | null;

/**
 * Names a stored feature row by its contract, in contract order: categorical codes become the
 * vocabulary word (an out-of-vocabulary code reads `(unknown)`), a missing value (NaN) null,
 * and ±Infinity, which JSON cannot carry, the string `Infinity` / `-Infinity`. A row stored
 * under a contract version this gateway does not know keeps positional names (`feature_<i>`).
 */
export function namedFeatures(row: StoredFeatureRow): Record<string, FeatureValue> {
  const count = Math.floor(row.packed.byteLength / 4);
  const contract = knownContract(row.contract, row.contractVersion, count);
  const out: Record<string, FeatureValue> = {};
  for (let i = 0; i < count; i++) {
    const spec = contract?.features[i];
    out[spec?.name ?? `feature_${i}`] = valueOf(row.packed.readFloatLE(i * 4), spec?.vocabulary);
  }
  return out;
}

function knownContract(id: string, version: number, count: number): Contract | undefined {
  try {
    const c = getContract(id);
    return c.version === version && c.features.length === count ? c : undefined;
  } catch {
    return undefined;
  }
}

function valueOf(v: number, vocabulary: readonly string[] | undefined): FeatureValue {
  if (Number.isNaN(v)) return null;
  if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '-Infinity';
  if (vocabulary === undefined) return v;
  return vocabulary[v] ?? '(unknown)';
}
