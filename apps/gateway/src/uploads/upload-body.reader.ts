import { type IncomingMessage } from 'node:http';
import { PayloadTooLargeError, UnsupportedMediaTypeError } from '../http/http.errors';
import { MalformedMultipartError, NoFilePartError } from './uploads.errors';

export const ACCEPTED_UPLOAD_TYPES = ['multipart/form-data', 'text/csv', 'text/plain', 'application/gzip', 'application/x-gzip', 'application/octet-stream'] as const;

export interface UploadedFile {
  fileName: string | null;
  contentType: string | null;
  /** The file's bytes as they arrive (request backpressure intact); throws 413 past the limit. */
  bytes: AsyncIterable<Buffer>;
}

/** The uploaded file of a request: the first file part of a multipart body, or the raw body. */
export function openUploadedFile(req: IncomingMessage, maxBytes: number): UploadedFile {
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  const media = type.split(';')[0].trim();
  if (!(ACCEPTED_UPLOAD_TYPES as readonly string[]).includes(media)) throw new UnsupportedMediaTypeError(media || undefined, ACCEPTED_UPLOAD_TYPES);
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) throw new PayloadTooLargeError(maxBytes, 'the upload');
  const limited = limitBytes(req, maxBytes);
  if (media !== 'multipart/form-data') {
    const named = new URL(req.url ?? '/', 'http://localhost').searchParams.get('filename');
    return { fileName: named === null ? null : named.slice(0, 255), contentType: media, bytes: limited };
  }
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(req.headers['content-type'] ?? '');
  if (boundary === null) throw new MalformedMultipartError('the content type names no boundary');
  const part = new MultipartFilePart(limited, boundary[1] ?? boundary[2]);
  return { get fileName() { return part.fileName; }, get contentType() { return part.contentType; }, bytes: part };
}

async function* limitBytes(source: AsyncIterable<Buffer>, maxBytes: number): AsyncGenerator<Buffer> {
  let seen = 0;
  for await (const chunk of source) {
    seen += chunk.length;
    if (seen > maxBytes) throw new PayloadTooLargeError(maxBytes, 'the upload');
    yield chunk;
  }
}

const CRLF2 = Buffer.from('\r\n\r\n');
const MAX_PART_HEADERS = 16 * 1024;

/**
 * A streaming multipart/form-data reader for the first part with a filename: it yields that
 * part's body as it arrives, keeping only a delimiter's length in hand, and drains the rest.
 */
class MultipartFilePart implements AsyncIterable<Buffer> {
  fileName: string | null = null;
  contentType: string | null = null;
  private readonly delimiter: Buffer;

  constructor(private readonly source: AsyncIterable<Buffer>, boundary: string) {
    this.delimiter = Buffer.from(`\r\n--${boundary}`);
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer> {
    // A leading CRLF lets the first boundary match the same delimiter as the others.
    let buf: Buffer = Buffer.from('\r\n');
    let state: 'preamble' | 'headers' | 'file' | 'skip' | 'done' = 'preamble';
    let found = false;
    for await (const chunk of this.source) {
      buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
      for (;;) {
        if (state === 'done') break;
        if (state === 'headers') {
          const end = buf.indexOf(CRLF2);
          if (end < 0) {
            if (buf.length > MAX_PART_HEADERS) throw new MalformedMultipartError('part headers are too long');
            break;
          }
          const isFile = this.readPartHeaders(buf.subarray(0, end).toString('latin1'));
          buf = buf.subarray(end + 4);
          state = isFile && !found ? 'file' : 'skip';
          found ||= isFile;
          continue;
        }
        const at = buf.indexOf(this.delimiter);
        if (at < 0) {
          const keep = Math.min(buf.length, this.delimiter.length + 1);
          if (state === 'file' && buf.length > keep) yield buf.subarray(0, buf.length - keep);
          buf = buf.subarray(buf.length - keep);
          break;
        }
        if (state === 'file' && at > 0) yield buf.subarray(0, at);
        buf = buf.subarray(at);
        const after = buf.subarray(this.delimiter.length);
        if (after.length < 2) break;
        if (after[0] === 0x2d && after[1] === 0x2d) state = 'done';
        else if (after[0] === 0x0d && after[1] === 0x0a) state = 'headers';
        else throw new MalformedMultipartError('a boundary is followed by neither CRLF nor --');
        buf = after.subarray(2);
      }
    }
    if (state !== 'done') throw new MalformedMultipartError('the body ended before the closing boundary');
    if (!found) throw new NoFilePartError();
  }

  private readPartHeaders(text: string): boolean {
    const disposition = /content-disposition:([^\r\n]*)/i.exec(text)?.[1] ?? '';
    const fileName = /filename="([^"]*)"/i.exec(disposition)?.[1] ?? /filename=([^;\s]+)/i.exec(disposition)?.[1];
    if (fileName === undefined) return false;
    this.fileName ??= fileName;
    this.contentType ??= /content-type:\s*([^\r\n;]*)/i.exec(text)?.[1]?.trim().toLowerCase() ?? null;
    return true;
  }
}
