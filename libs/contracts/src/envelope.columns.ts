import { type FlowEnvelope } from './contract.types';

/**
 * Flow envelopes on the wire (flow-batch.v2, detection-batch.v2): one array per field instead
 * of an object per flow, `null` where a flow lacks the field, a field absent when no flow has
 * it. The keys are not repeated per flow, so the header is smaller and cheaper to write, parse
 * and check (profiled: per-flow envelope objects were the bulk of each header).
 */
export type EnvelopeColumns = { [F in keyof FlowEnvelope]?: (FlowEnvelope[F] | null)[] };

type Field = keyof FlowEnvelope;
const FIELDS: readonly Field[] = ['flowId', 'srcIp', 'srcPort', 'dstIp', 'dstPort', 'protocol', 'timestamp'];

export function envelopesToColumns(envelopes: readonly FlowEnvelope[], count: number): EnvelopeColumns {
  const out: Record<string, (string | number | null)[]> = {};
  for (const field of FIELDS) {
    let column: (string | number | null)[] | undefined;
    for (let i = 0; i < count; i++) {
      const value = envelopes[i][field];
      if (value === undefined) {
        if (column !== undefined) column[i] = null;
        continue;
      }
      column ??= new Array<string | number | null>(count).fill(null);
      column[i] = value;
    }
    if (column !== undefined) out[field] = column;
  }
  return out as EnvelopeColumns;
}

const STRING_FIELDS = new Set<Field>(['flowId', 'srcIp', 'dstIp', 'timestamp']);
const MAX: Partial<Record<Field, number>> = { srcPort: 65535, dstPort: 65535, protocol: 255 };

/**
 * The per-flow objects back, fields in canonical order, each value checked as
 * the envelope schema would (by hand, not zod: this runs for every flow of every message); a reason
 * string when the columns are not `count` valid rows. Unknown columns are ignored.
 */
export function columnsToEnvelopes(columns: unknown, count: number): FlowEnvelope[] | string {
  if (typeof columns !== 'object' || columns === null || Array.isArray(columns)) return 'env is not an object of columns';
  const cols = columns as Record<string, unknown>;
  const present: Field[] = [];
  for (const f of FIELDS) {
    const column = cols[f];
    if (column === undefined) continue;
    if (!Array.isArray(column) || column.length !== count) return `envelope column ${f} holds ${Array.isArray(column) ? column.length : 'no'} entries, ${count} expected`;
    const bad = badValue(f, column);
    if (bad >= 0) return `envelope column ${f}[${bad}] is not a valid ${f}`;
    present.push(f);
  }
  const out = new Array<FlowEnvelope>(count);
  for (let i = 0; i < count; i++) {
    const envelope: Record<string, string | number> = {};
    for (const f of present) {
      const value = (cols[f] as (string | number | null)[])[i];
      if (value !== null) envelope[f] = value;
    }
    out[i] = envelope as FlowEnvelope;
  }
  return out;
}

/** Index of the first value that is neither null nor valid for the field, else -1. */
function badValue(field: Field, column: readonly unknown[]): number {
  const max = MAX[field];
  for (let i = 0; i < column.length; i++) {
    const v = column[i];
    if (v === null) continue;
    if (STRING_FIELDS.has(field) ? typeof v !== 'string' : !(Number.isInteger(v) && (v as number) >= 0 && (v as number) <= (max as number))) return i;
  }
  return -1;
}
