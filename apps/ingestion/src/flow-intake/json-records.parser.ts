import { type ContractId, type FormatDetection, type RowError, createBatchParser, detectFormat, type FlowBatch } from '@vigil/contracts';

/**
 * JSON records (objects keyed by any column spelling of the contract) go through the same
 * contract parser as files: the union of their keys is the header, each record one CSV line.
 * What JSON can say and CSV cannot (a boolean, an object, a missing key) is rejected here.
 */
export interface ParsedRecords {
  batch: FlowBatch | null;
  detection: FormatDetection | null;
  /** Rows refused before the contract parser saw them (row = 1-based record index). */
  errors: RowError[];
}

export function parseJsonRecords(contract: ContractId, records: readonly unknown[]): ParsedRecords {
  const keys = headerOf(records);
  const detection = detectFormat(keys.map(csvCell).join(','), { contract });
  const required = detection.columnMap.filter((c) => c.role === 'feature').map((c) => keys[c.index]);
  const errors: RowError[] = [];
  const lines: string[] = [];
  const rows: number[] = [];
  records.forEach((record, i) => {
    const line = recordLine({ record, row: i + 1, keys, required, errors });
    if (line === null) return;
    lines.push(line);
    rows.push(i + 1);
  });
  const batch = createBatchParser(detection).parseRows(lines, rows);
  return { batch, detection, errors };
}

function headerOf(records: readonly unknown[]): string[] {
  const keys = new Set<string>();
  for (const record of records) if (isRecord(record)) for (const key of Object.keys(record)) keys.add(key);
  return [...keys];
}

function recordLine(args: { record: unknown; row: number; keys: string[]; required: string[]; errors: RowError[] }): string | null {
  const { record, row } = args;
  if (!isRecord(record)) {
    args.errors.push({ row, code: 'INGESTION.NOT_AN_OBJECT', reason: `a record must be a JSON object, got ${describe(record)}` });
    return null;
  }
  const missing = args.required.find((key) => !(key in record));
  if (missing !== undefined) {
    args.errors.push({ row, field: missing, code: 'INGESTION.MISSING_FIELD', reason: `field "${missing}" is missing` });
    return null;
  }
  const cells: string[] = [];
  for (const key of args.keys) {
    const value = record[key];
    if (value === undefined || value === null) cells.push('');
    else if (typeof value === 'number' || typeof value === 'string') cells.push(csvCell(String(value)));
    else {
      args.errors.push({ row, field: key, code: 'INGESTION.WRONG_TYPE', reason: `field "${key}" must be a number or a string, got ${describe(value)}` });
      return null;
    }
  }
  return cells.join(',');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
}

function csvCell(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
