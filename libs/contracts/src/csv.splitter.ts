/**
 * RFC 4180 field splitting for the rare line that holds a double quote; lines without one
 * take the indexOf fast path in the batch parser instead. Returns null when a quoted field is
 * not closed (the reader joins such a line with the next one first).
 */
export function splitQuotedLine(line: string): string[] | null {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (line.charCodeAt(i) === 34) {
      const parsed = readQuoted(line, i + 1);
      if (parsed === null) return null;
      fields.push(parsed.value);
      i = parsed.end;
      // Text between the closing quote and the next comma is kept, as spreadsheets do.
      const comma = line.indexOf(',', i);
      if (comma === -1) return fields;
      if (comma > i) fields[fields.length - 1] += line.slice(i, comma);
      i = comma + 1;
    } else {
      const comma = line.indexOf(',', i);
      if (comma === -1) {
        fields.push(line.slice(i));
        return fields;
      }
      fields.push(line.slice(i, comma));
      i = comma + 1;
    }
  }
}

function readQuoted(line: string, start: number): { value: string; end: number } | null {
  let value = '';
  let from = start;
  for (;;) {
    const quote = line.indexOf('"', from);
    if (quote === -1) return null;
    value += line.slice(from, quote);
    if (line.charCodeAt(quote + 1) === 34) {
      value += '"';
      from = quote + 2;
    } else {
      return { value, end: quote + 1 };
    }
  }
}

/** Whether a line ends inside an open quoted field (odd number of quotes). */
export function hasOpenQuote(line: string): boolean {
  let count = 0;
  for (let i = line.indexOf('"'); i !== -1; i = line.indexOf('"', i + 1)) count++;
  return count % 2 === 1;
}

export function splitLine(line: string): string[] {
  return line.indexOf('"') === -1 ? line.split(',') : (splitQuotedLine(line) ?? line.split(','));
}
