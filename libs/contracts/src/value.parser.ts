/**
 * Cell parsers of the hot path. Each returns the value or `undefined` for "not parseable"
 * so the caller can build a precise RowError without try/catch or allocation.
 */

/** Tokens real CSVs write for missing and infinite values (UNB, pandas, numpy). */
function specialNumber(text: string): number | undefined {
  switch (text.trim().toLowerCase()) {
    case '':
    case 'nan':
    case '-nan':
      return NaN;
    case 'infinity':
    case '+infinity':
    case 'inf':
    case '+inf':
      return Infinity;
    case '-infinity':
    case '-inf':
      return -Infinity;
    default:
      return undefined;
  }
}

const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);
// Below this, mantissa * 10 + 9 stays an exact double integer (< 2^53).
const MANTISSA_LIMIT = 900719925474099;

/**
 * Number of a CSV cell; empty = NaN (missing); Infinity/-Infinity/NaN tokens kept.
 * Plain decimals of up to 15 digits are read in place: mantissa / 10^k of two exact doubles
 * is correctly rounded (Clinger's fast path), with no substring and no generic conversion.
 * Anything else (exponents, 16+ digits, spaces, tokens) takes the Number() path.
 */
export function parseNumberCell(line: string, start: number, end: number): number | undefined {
  if (start === end) return NaN;
  let i = start;
  const negative = line.charCodeAt(i) === 45;
  if (negative) i++;
  let mantissa = 0;
  let scale = 0;
  let dot = false;
  let digits = false;
  for (; i < end; i++) {
    const c = line.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (mantissa >= MANTISSA_LIMIT) return slowNumber(line, start, end);
      mantissa = mantissa * 10 + (c - 48);
      digits = true;
      if (dot) scale++;
    } else if (c === 46 && !dot) {
      dot = true;
    } else {
      return slowNumber(line, start, end);
    }
  }
  if (!digits || scale > 22) return slowNumber(line, start, end);
  const value = scale === 0 ? mantissa : mantissa / POW10[scale];
  return negative ? -value : value;
}

function slowNumber(line: string, start: number, end: number): number | undefined {
  const text = line.slice(start, end);
  const value = +text;
  if (value !== value) return specialNumber(text);
  // `+'  '` is 0 in JS: a blank cell is missing, not zero.
  if (value === 0 && text.trim() === '') return NaN;
  return value;
}

export function parseIntegerCell(text: string, max: number): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const value = +trimmed;
  return Number.isInteger(value) && value >= 0 && value <= max ? value : undefined;
}

const ISO_LOCAL = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)$/;
const DAY_FIRST = /^(\d{1,2})\/(\d{1,2})\/(\d{4})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$/;

/**
 * Timestamp cell to ISO-8601 UTC. Zone-less times are taken as UTC: the improved CIC-IDS2017
 * writes UTC, and CIC's d/m/yyyy layouts carry no zone at all. Returns undefined if unreadable.
 */
export function parseTimestampCell(text: string): string | undefined {
  const trimmed = text.trim();
  const iso = ISO_LOCAL.exec(trimmed);
  if (iso !== null) return `${iso[1]}T${iso[2].length === 5 ? `${iso[2]}:00` : iso[2]}Z`;
  const dayFirst = DAY_FIRST.exec(trimmed);
  if (dayFirst !== null) {
    const [, d, m, y, hh, mm, ss] = dayFirst;
    const date = new Date(Date.UTC(+y, +m - 1, +d, +hh, +mm, ss === undefined ? 0 : +ss));
    return Number.isNaN(date.getTime()) || date.getUTCDate() !== +d ? undefined : date.toISOString();
  }
  if (/^\d{9,13}(\.\d+)?$/.test(trimmed)) {
    const n = +trimmed;
    // Epoch seconds up to year 5138; beyond that the number is milliseconds.
    return new Date(n < 1e11 ? n * 1000 : n).toISOString();
  }
  const parsed = /[zZ]|[+-]\d{2}:?\d{2}$/.test(trimmed) ? Date.parse(trimmed) : NaN;
  return Number.isNaN(parsed) ? undefined : new Date(parsed).toISOString();
}
