import { cicFeatureAliases, normaliseColumnName } from './cicflowmeter.features';
import { ContractError } from './contract.errors';
import { getContract } from './contract.registry';
import { type Contract, type ContractId } from './contract.types';
import {
  envelopeRole, type EnvelopeKey, HEADER_VARIANTS, type HeaderVariant, isDifficultyColumn, isLabelColumn, type VariantId,
} from './format.variants';
import { splitLine } from './csv.splitter';

export type ColumnRole = 'feature' | 'envelope' | 'label' | 'difficulty' | 'ignored';

export interface ColumnMapping {
  index: number;
  /** The column name as the file writes it (null for headerless files). */
  name: string | null;
  role: ColumnRole;
  /** Canonical feature name or envelope key. */
  target?: string;
}

export interface FormatDetection {
  contract: Contract;
  variant: VariantId;
  hasHeader: boolean;
  /** Fields every data row must have. */
  columnCount: number;
  header: readonly string[] | null;
  columnMap: readonly ColumnMapping[];
  /** Per canonical feature, the source column that feeds it, or -1 (the feature is NaN). */
  featureColumns: Int32Array;
  /** Canonical features this layout does not carry; they are NaN in every row. */
  absentFeatures: readonly string[];
  hasLabel: boolean;
}

export interface DetectOptions {
  contract?: ContractId;
}

/** Reads the header (or, for headerless NSL-KDD text, the first row) and names the layout. */
export function detectFormat(headerOrFirstLine: string, options: DetectOptions = {}): FormatDetection {
  const line = headerOrFirstLine.replace(/^\uFEFF/, '').replace(/\r$/, '');
  const fields = splitLine(line);
  if (looksHeaderless(fields) && options.contract !== 'cicflowmeter') return unbTextDetection(fields.length);
  const names = new Set(fields.map(normaliseColumnName));
  const ranked = HEADER_VARIANTS.filter((v) => options.contract === undefined || v.contract === options.contract)
    .map((variant) => ({ variant, missing: variant.required.filter((c) => !names.has(normaliseColumnName(c))) }))
    .sort((a, b) => a.missing.length - b.missing.length || b.variant.required.length - a.variant.required.length);
  const best = ranked[0];
  if (best === undefined || best.missing.length > best.variant.required.length / 2) {
    throw new ContractError({
      code: 'CONTRACTS.UNKNOWN_FORMAT',
      message: `Not a known flow layout${best ? ` (nearest: ${best.variant.id}, ${best.missing.length} of its ${best.variant.required.length} columns missing)` : ''}: "${line.slice(0, 120)}"`,
      details: { nearestVariant: best?.variant.id, firstLine: line.slice(0, 500) },
    });
  }
  if (best.missing.length > 0) {
    throw new ContractError({
      code: 'CONTRACTS.MISSING_COLUMN',
      message: `Missing column${best.missing.length > 1 ? 's' : ''} ${best.missing.map((c) => `"${c}"`).join(', ')} for layout ${best.variant.id}`,
      details: { missing: best.missing, nearestVariant: best.variant.id },
    });
  }
  return headerDetection(best.variant, fields);
}

function looksHeaderless(fields: readonly string[]): boolean {
  const first = fields[0]?.trim() ?? '';
  return first !== '' && Number.isFinite(Number(first));
}

function unbTextDetection(columnCount: number): FormatDetection {
  const contract = getContract('nsl-kdd');
  const featureCount = contract.features.length;
  if (columnCount < featureCount || columnCount > featureCount + 2) {
    throw new ContractError({
      code: 'CONTRACTS.UNKNOWN_FORMAT',
      message: `Headerless rows must have ${featureCount} NSL-KDD features, optionally + label + difficulty; the first row has ${columnCount} fields`,
      details: { nearestVariant: 'nsl-kdd/unb-text', fields: columnCount },
    });
  }
  const columnMap: ColumnMapping[] = contract.features.map((f, index) => ({ index, name: null, role: 'feature', target: f.name }));
  if (columnCount > featureCount) columnMap.push({ index: featureCount, name: null, role: 'label' });
  if (columnCount > featureCount + 1) columnMap.push({ index: featureCount + 1, name: null, role: 'difficulty' });
  return {
    contract, variant: 'nsl-kdd/unb-text', hasHeader: false, columnCount, header: null, columnMap,
    featureColumns: Int32Array.from(contract.features, (_, i) => i), absentFeatures: [], hasLabel: columnCount > featureCount,
  };
}

function headerDetection(variant: HeaderVariant, header: readonly string[]): FormatDetection {
  const contract = getContract(variant.contract);
  const featureOf = featureLookup(contract);
  const featureColumns = new Int32Array(contract.features.length).fill(-1);
  const columnMap = header.map((name, index): ColumnMapping => {
    const envelope = envelopeRole(name);
    if (envelope !== undefined) return envelope === 'ignore' ? { index, name, role: 'ignored' } : envelopeMapping(index, name, envelope);
    if (isLabelColumn(contract.id, name)) return { index, name, role: 'label' };
    if (isDifficultyColumn(contract.id, name)) return { index, name, role: 'difficulty' };
    const feature = featureOf(name);
    // A second column for the same feature (MachineLearningCVE's duplicated Fwd Header Length) is dropped.
    if (feature === undefined || featureColumns[feature] !== -1) return { index, name, role: 'ignored' };
    featureColumns[feature] = index;
    return { index, name, role: 'feature', target: contract.features[feature].name };
  });
  const labelColumns = columnMap.filter((c) => c.role === 'label');
  // Only the first label column is the label; a file with two is ambiguous, keep the first.
  labelColumns.slice(1).forEach((c) => Object.assign(c, { role: 'ignored' }));
  return {
    contract, variant: variant.id, hasHeader: true, columnCount: header.length, header, columnMap, featureColumns,
    absentFeatures: contract.features.filter((_, i) => featureColumns[i] === -1).map((f) => f.name),
    hasLabel: labelColumns.length > 0,
  };
}

function envelopeMapping(index: number, name: string, key: EnvelopeKey): ColumnMapping {
  return { index, name, role: 'envelope', target: key };
}

const cicAliases = cicFeatureAliases();

function featureLookup(contract: Contract): (name: string) => number | undefined {
  if (contract.id === 'cicflowmeter') return (name) => cicAliases.get(normaliseColumnName(name));
  const byKey = new Map(contract.features.map((f, i) => [normaliseColumnName(f.name), i]));
  return (name) => byKey.get(normaliseColumnName(name));
}
