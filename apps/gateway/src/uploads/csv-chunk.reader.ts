/** One line-aligned piece of an upload, small enough for one NATS message. */
export interface CsvChunk {
  seq: number;
  /** File line number of the chunk's first line minus 1. */
  rowOffset: number;
  text: Buffer;
  lines: number;
}

export interface ChunkedFile {
  /** The first non-blank line (the header, or the first row of headerless text), BOM and CR stripped. */
  firstLine: string;
  /** File line number of the first line. */
  firstLineNumber: number;
}

export interface ChunkOptions {
  chunkBytes: number;
  /** Skip the first non-blank line (it travels as a message header). */
  skipFirstLine: boolean;
  /** Replaces a line longer than a chunk (it could not travel): the row still fails, with its number. */
  onOversizeLine?: (lineNumber: number, length: number) => Buffer;
}

const NL = 0x0a;

/** The first non-blank line of a text stream, reading at most `maxBytes`. */
export async function readFirstLine(text: AsyncIterable<Buffer>, maxBytes: number): Promise<ChunkedFile | null> {
  let buf = Buffer.alloc(0);
  let lineNumber = 1;
  for await (const chunk of text) {
    buf = Buffer.concat([buf, chunk]);
    for (;;) {
      const nl = buf.indexOf(NL);
      if (nl < 0) break;
      const line = clean(buf.subarray(0, nl));
      if (line.trim() !== '') return { firstLine: line, firstLineNumber: lineNumber };
      lineNumber++;
      buf = buf.subarray(nl + 1);
    }
    if (buf.length > maxBytes) return { firstLine: clean(buf.subarray(0, maxBytes)), firstLineNumber: lineNumber };
  }
  const rest = clean(buf);
  return rest.trim() === '' ? null : { firstLine: rest, firstLineNumber: lineNumber };
}

function clean(line: Buffer): string {
  return line.toString('utf8').replace(/^\uFEFF/, '').replace(/\r$/, '');
}

/** Cuts a text stream into chunks of whole lines, each at most `chunkBytes` (constant memory). */
export async function* chunkLines(text: AsyncIterable<Buffer>, options: ChunkOptions): AsyncGenerator<CsvChunk> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let pendingLines = 0;
  let pendingFirst = 0;
  let carry = Buffer.alloc(0);
  let lineNumber = 0;
  let seq = 0;
  let skipping = options.skipFirstLine;
  const flush = (): CsvChunk => {
    const chunk = { seq: seq++, rowOffset: pendingFirst - 1, text: Buffer.concat(pending, pendingBytes), lines: pendingLines };
    pending = [];
    pendingBytes = 0;
    pendingLines = 0;
    return chunk;
  };
  const take = (line: Buffer): CsvChunk | null => {
    lineNumber++;
    if (skipping) {
      if (line.toString('latin1').trim() !== '') skipping = false;
      return null;
    }
    let piece = line;
    if (piece.length + 1 > options.chunkBytes) piece = options.onOversizeLine?.(lineNumber, line.length) ?? Buffer.alloc(0);
    const out = pendingBytes + piece.length + 1 > options.chunkBytes && pendingLines > 0 ? flush() : null;
    if (pendingLines === 0) pendingFirst = lineNumber;
    pending.push(piece, Buffer.from('\n'));
    pendingBytes += piece.length + 1;
    pendingLines++;
    return out;
  };
  for await (const chunk of text) {
    let buf = carry.length === 0 ? chunk : Buffer.concat([carry, chunk]);
    for (let nl = buf.indexOf(NL); nl >= 0; nl = buf.indexOf(NL)) {
      const out = take(buf.subarray(0, nl));
      if (out) yield out;
      buf = buf.subarray(nl + 1);
    }
    // A line longer than a chunk is not kept whole: only enough to report it.
    carry = buf.length > options.chunkBytes ? Buffer.from(buf.subarray(0, options.chunkBytes)) : Buffer.from(buf);
  }
  if (carry.length > 0) {
    const out = take(carry);
    if (out) yield out;
  }
  if (pendingLines > 0) yield flush();
}
