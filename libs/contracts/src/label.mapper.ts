import { ROW_ERROR_CODES } from './contract.errors';
import { getContract } from './contract.registry';
import { type CanonicalLabel, type Contract, type ContractId, type LabelSpec, type RowError } from './contract.types';

/**
 * Real label spellings differ in case, spacing, dash (the UNB cp1252 0x96 byte read as latin1,
 * as U+FFFD or as double-encoded UTF-8, an en dash, ASCII '-') and a trailing '.' (KDD'99).
 * Keeping only ASCII letters and digits makes all of them one key.
 */
export function labelKey(raw: string): string {
  return raw.toLowerCase().replace(/[^a-z0-9]/g, '');
}

const indexes = new WeakMap<Contract, Map<string, LabelSpec>>();

function labelIndex(contract: Contract): Map<string, LabelSpec> {
  let index = indexes.get(contract);
  if (index !== undefined) return index;
  index = new Map();
  for (const spec of contract.labels) {
    for (const spelling of [spec.label, ...(spec.aliases ?? [])]) {
      const key = labelKey(spelling);
      const other = index.get(key);
      if (other !== undefined && other !== spec) throw new Error(`label alias collision in ${contract.id}: ${spelling}`);
      index.set(key, spec);
    }
  }
  indexes.set(contract, index);
  return index;
}

export function isRowError(value: unknown): value is RowError {
  return typeof value === 'object' && value !== null && 'code' in value && 'reason' in value && 'row' in value;
}

/** Canonical label for a raw label string, or a RowError (row defaults to 0 when not known). */
export function mapLabel(contractOrId: Contract | ContractId, raw: string, row = 0): CanonicalLabel | RowError {
  const contract = typeof contractOrId === 'string' ? getContract(contractOrId) : contractOrId;
  const spec = labelIndex(contract).get(labelKey(raw));
  if (spec === undefined) {
    return { row, field: 'label', code: ROW_ERROR_CODES.unknownLabel, reason: `unknown ${contract.id} label "${raw}"` };
  }
  return { raw, label: spec.label, family: spec.family, isAttack: spec.isAttack };
}

/** Class index of a canonical label: position in contract.labels or contract.families. */
export function encodeLabel(contract: Contract, label: CanonicalLabel, by: 'label' | 'family' = 'label'): number {
  return by === 'label'
    ? contract.labels.findIndex((l) => l.label === label.label)
    : contract.families.indexOf(label.family);
}
