import { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import { hasOpenQuote } from './csv.splitter';

export interface LineChunk {
  /** Logical lines (a quoted field may span physical lines); blank lines are dropped. */
  lines: string[];
  /** 1-based physical line number where each logical line starts. */
  rows: number[];
}

const MAX_QUOTED_LINES = 1000;

/** Gunzips the stream when it starts with the gzip magic bytes, whatever the file name says. */
export async function* maybeGunzip(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const iterator = source[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done === true) return;
  const head = first.value;
  async function* all(): AsyncGenerator<Uint8Array> {
    yield head;
    for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) yield next.value;
  }
  if (head[0] !== 0x1f || head[1] !== 0x8b) {
    yield* all();
    return;
  }
  const raw = Readable.from(all());
  const gunzip = createGunzip({ chunkSize: 256 * 1024 });
  raw.on('error', (error) => gunzip.destroy(error));
  yield* raw.pipe(gunzip) as AsyncIterable<Uint8Array>;
}

/** UTF-8 text to logical lines: strips a BOM and CR of CRLF, keeps quoted newlines in their field. */
export async function* readLines(source: AsyncIterable<Uint8Array>): AsyncGenerator<LineChunk> {
  const decoder = new StringDecoder('utf8');
  const state = { pending: '', lineNo: 0, open: null as { text: string; row: number; parts: number } | null, first: true };
  for await (const chunk of maybeGunzip(source)) {
    let text = state.pending + decoder.write(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    if (state.first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      state.first = false;
    }
    const out: LineChunk = { lines: [], rows: [] };
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      pushLine(state, out, text.slice(start, nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl));
      start = nl + 1;
    }
    state.pending = text.slice(start);
    if (out.lines.length > 0) yield out;
  }
  const tail = state.pending + decoder.end();
  const out: LineChunk = { lines: [], rows: [] };
  if (tail.length > 0) pushLine(state, out, tail.endsWith('\r') ? tail.slice(0, -1) : tail);
  if (state.open !== null) {
    // An unterminated quote at EOF: hand the text over so the parser reports it.
    out.lines.push(state.open.text);
    out.rows.push(state.open.row);
  }
  if (out.lines.length > 0) yield out;
}

function pushLine(
  state: { lineNo: number; open: { text: string; row: number; parts: number } | null },
  out: LineChunk,
  line: string,
): void {
  state.lineNo++;
  if (state.open !== null) {
    const open = state.open;
    open.text += '\n' + line;
    open.parts++;
    if (!hasOpenQuote(open.text) || open.parts >= MAX_QUOTED_LINES) {
      out.lines.push(open.text);
      out.rows.push(open.row);
      state.open = null;
    }
    return;
  }
  if (line.length === 0 || (line.charCodeAt(0) <= 32 && line.trim() === '')) return;
  if (line.indexOf('"') !== -1 && hasOpenQuote(line)) {
    state.open = { text: line, row: state.lineNo, parts: 1 };
    return;
  }
  out.lines.push(line);
  out.rows.push(state.lineNo);
}
