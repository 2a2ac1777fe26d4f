import { ROW_ERROR_CODES } from './contract.errors';
import { type CanonicalLabel, type FlowBatch, type FlowEnvelope, type RowError } from './contract.types';
import { splitQuotedLine } from './csv.splitter';
import { type FormatDetection } from './format.detection';
import { isRowError, mapLabel } from './label.mapper';
import { nslKddProtocolNumber } from './nsl-kdd.contract';
import { RowScratch } from './row.scratch';
import { parseNumberCell } from './value.parser';

const IGNORE = -1;
const LABEL = -2;
const ENVELOPE = -3;

export interface BatchParser {
  readonly detection: FormatDetection;
  /** Lines of consecutive file lines starting at firstRowNumber; blank lines are skipped. */
  parseLines(lines: readonly string[], firstRowNumber: number): FlowBatch;
  /** Lines with their own 1-based file line numbers. */
  parseRows(lines: readonly string[], rowNumbers: ArrayLike<number>): FlowBatch;
  /** Categorical values outside the vocabulary seen so far, per feature, with counts (first 1,000 distinct). */
  unknownValues(): Record<string, Record<string, number>>;
}

export function createBatchParser(detection: FormatDetection): BatchParser {
  return new FastBatchParser(detection);
}

class FastBatchParser implements BatchParser {
  private readonly width: number;
  private readonly targets: Int32Array;
  private readonly names: readonly string[];
  private readonly vocabularies: (ReadonlyMap<string, number> | null)[];
  private readonly unknownCodes: Int32Array;
  private readonly labelCache = new Map<string, CanonicalLabel | RowError>();
  private readonly unknowns = new Map<string, Map<string, number>>();
  private readonly scratch: RowScratch;
  private readonly protocolFeature: number;

  constructor(readonly detection: FormatDetection) {
    const { contract, columnMap, columnCount } = detection;
    this.width = contract.features.length;
    this.targets = new Int32Array(columnCount).fill(IGNORE);
    const names: string[] = [];
    for (const c of columnMap) {
      names[c.index] = c.name ?? c.target ?? (c.role === 'label' ? 'label' : `column ${c.index + 1}`);
      if (c.role === 'label') this.targets[c.index] = LABEL;
      if (c.role === 'envelope') this.targets[c.index] = ENVELOPE;
    }
    detection.featureColumns.forEach((column, feature) => column >= 0 && (this.targets[column] = feature));
    this.names = names;
    this.vocabularies = contract.features.map((f) => (f.vocabulary ? new Map(f.vocabulary.map((v, i) => [v, i])) : null));
    this.unknownCodes = Int32Array.from(contract.features, (f) => f.unknownCode ?? -1);
    this.scratch = new RowScratch(columnMap);
    this.protocolFeature = contract.id === 'nsl-kdd' ? contract.features.findIndex((f) => f.name === 'protocol_type') : -1;
  }

  parseLines(lines: readonly string[], firstRowNumber: number): FlowBatch {
    return this.parse(lines, null, firstRowNumber);
  }

  parseRows(lines: readonly string[], rowNumbers: ArrayLike<number>): FlowBatch {
    return this.parse(lines, rowNumbers, 0);
  }

  private parse(lines: readonly string[], rowNumbers: ArrayLike<number> | null, firstRowNumber: number): FlowBatch {
    const width = this.width;
    const features = new Float32Array(lines.length * width).fill(NaN);
    const rows = new Int32Array(lines.length);
    const envelopes: FlowEnvelope[] = [];
    const labels: (CanonicalLabel | null)[] = [];
    const errors: RowError[] = [];
    let count = 0;
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i];
      const row = rowNumbers === null ? firstRowNumber + i : rowNumbers[i];
      if (line.length === 0 || (line.charCodeAt(0) <= 32 && line.trim() === '')) continue;
      const error = this.parseRow(line, row, features, count * width);
      if (error !== null) {
        errors.push(error);
        features.fill(NaN, count * width, (count + 1) * width);
        continue;
      }
      rows[count] = row;
      envelopes.push(this.envelope(features, count * width));
      labels.push(this.scratch.label);
      count++;
    }
    return {
      contract: this.detection.contract, variant: this.detection.variant, count,
      features: count === lines.length ? features : features.slice(0, count * width),
      rowNumbers: count === lines.length ? rows : rows.slice(0, count), envelopes, labels, errors,
    };
  }

  unknownValues(): Record<string, Record<string, number>> {
    return Object.fromEntries([...this.unknowns].map(([feature, values]) => [feature, Object.fromEntries(values)]));
  }

  private parseRow(line: string, row: number, out: Float32Array, offset: number): RowError | null {
    this.scratch.reset();
    const expected = this.detection.columnCount;
    if (line.indexOf('"') !== -1) return this.parseQuotedRow(line, row, out, offset);
    let start = 0;
    let column = 0;
    for (;;) {
      let end = line.indexOf(',', start);
      const last = end === -1;
      if (last) end = line.length;
      if (column < expected) {
        const reason = this.cell(line, start, end, column, out, offset);
        if (reason !== null) return this.cellError(line.split(',').length, row, column, reason);
      }
      column++;
      if (last) break;
      start = end + 1;
    }
    if (column !== expected) return this.fieldCountError(row, column);
    return this.finishRow(row);
  }

  private parseQuotedRow(line: string, row: number, out: Float32Array, offset: number): RowError | null {
    const fields = splitQuotedLine(line);
    if (fields === null) {
      return { row, code: ROW_ERROR_CODES.unterminatedQuote, reason: 'a quoted field is not closed' };
    }
    if (fields.length !== this.detection.columnCount) return this.fieldCountError(row, fields.length);
    for (let column = 0; column < fields.length; column++) {
      const reason = this.cell(fields[column], 0, fields[column].length, column, out, offset);
      if (reason !== null) return this.cellError(fields.length, row, column, reason);
    }
    return this.finishRow(row);
  }

  /** Writes one cell; returns a reason when the cell is unreadable. */
  private cell(line: string, start: number, end: number, column: number, out: Float32Array, offset: number): string | null {
    const target = this.targets[column];
    if (target >= 0) {
      const vocabulary = this.vocabularies[target];
      if (vocabulary === null) {
        const value = parseNumberCell(line, start, end);
        if (value === undefined) return `not a number: "${line.slice(start, end)}"`;
        out[offset + target] = value;
      } else {
        const text = line.slice(start, end).trim();
        const code = vocabulary.get(text);
        out[offset + target] = code ?? this.unknownCategory(target, text);
      }
      return null;
    }
    if (target === IGNORE) return null;
    if (target === LABEL) return this.labelCell(line.slice(start, end));
    return this.scratch.envelopeCell(column, line.slice(start, end));
  }

  private labelCell(raw: string): string | null {
    let mapped = this.labelCache.get(raw);
    if (mapped === undefined) {
      mapped = raw.trim() === '' ? { row: 0, code: ROW_ERROR_CODES.missingLabel, reason: 'empty label' } : mapLabel(this.detection.contract, raw);
      if (!isRowError(mapped)) Object.freeze(mapped);
      if (this.labelCache.size < 10_000) this.labelCache.set(raw, mapped);
    }
    if (isRowError(mapped)) {
      this.scratch.labelError = mapped;
      return mapped.reason;
    }
    this.scratch.label = mapped;
    return null;
  }

  private unknownCategory(feature: number, value: string): number {
    const name = this.detection.contract.features[feature].name;
    let tally = this.unknowns.get(name);
    if (tally === undefined) this.unknowns.set(name, (tally = new Map()));
    if (tally.size < 1000 || tally.has(value)) tally.set(value, (tally.get(value) ?? 0) + 1);
    return this.unknownCodes[feature];
  }

  private finishRow(row: number): RowError | null {
    if (this.detection.hasLabel && this.scratch.label === null) {
      return { row, field: 'label', code: ROW_ERROR_CODES.missingLabel, reason: 'the row has no label' };
    }
    return null;
  }

  private cellError(fieldCount: number, row: number, column: number, reason: string): RowError {
    // A shifted row fails on some cell first; the field count is the real cause then.
    if (fieldCount !== this.detection.columnCount) return this.fieldCountError(row, fieldCount);
    const labelError = this.scratch.labelError;
    if (labelError !== null) return { ...labelError, row, field: this.names[column] };
    const target = this.targets[column];
    const code = target === ENVELOPE ? ROW_ERROR_CODES.badEnvelope : ROW_ERROR_CODES.badNumber;
    return { row, field: this.names[column], code, reason };
  }

  private fieldCountError(row: number, got: number): RowError {
    const expected = this.detection.columnCount;
    return { row, code: ROW_ERROR_CODES.fieldCount, reason: `expected ${expected} fields, got ${got}` };
  }

  private envelope(features: Float32Array, offset: number): FlowEnvelope {
    const envelope = this.scratch.takeEnvelope();
    if (this.protocolFeature < 0) return envelope;
    // NSL-KDD rows may carry envelope columns too (a Flow ID, IPs); protocol_type fills the protocol.
    const vocabulary = this.detection.contract.features[this.protocolFeature].vocabulary ?? [];
    const protocol = nslKddProtocolNumber(vocabulary[features[offset + this.protocolFeature]] ?? '');
    if (protocol !== undefined && envelope.protocol === undefined) envelope.protocol = protocol;
    return envelope;
  }
}
