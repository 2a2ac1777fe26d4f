import { type IncomingMessage } from 'node:http';
import { PayloadTooLargeError, UnsupportedMediaTypeError } from '../http/http.errors';
import { ModelUploadError } from './models.errors';

export interface ModelUpload {
  model: Buffer;
  manifest: unknown;
  fileName: string | null;
}

interface Part {
  name: string | null;
  fileName: string | null;
  body: Buffer;
}

/**
 * A model upload: multipart/form-data with a `model` part (the ONNX file) and a `manifest` part
 * (JSON, as a file or a field). Read whole, under `maxBytes`: a model version is bounded by the
 * registry's size cap and travels to it in chunks anyway.
 */
export async function readModelUpload(req: IncomingMessage, maxBytes: number): Promise<ModelUpload> {
  const type = req.headers['content-type'] ?? '';
  if (type.split(';')[0]!.trim().toLowerCase() !== 'multipart/form-data') throw new UnsupportedMediaTypeError(type || undefined, ['multipart/form-data']);
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(type);
  if (boundary === null) throw new ModelUploadError('MODELS.MALFORMED_UPLOAD', 'the content type names no boundary');
  const parts = splitParts(await readAll(req, maxBytes), boundary[1] ?? boundary[2]!);
  const model = parts.find((p) => p.name === 'model') ?? parts.find((p) => p.fileName?.toLowerCase().endsWith('.onnx'));
  if (model === undefined || model.body.length === 0) throw new ModelUploadError('MODELS.NO_MODEL_PART', 'no `model` part (the ONNX file) in the upload');
  const manifestPart = parts.find((p) => p.name === 'manifest');
  if (manifestPart === undefined) throw new ModelUploadError('MODELS.NO_MANIFEST_PART', 'no `manifest` part (the manifest JSON) in the upload');
  let manifest: unknown;
  try {
    manifest = JSON.parse(manifestPart.body.toString('utf8'));
  } catch (err) {
    throw new ModelUploadError('MODELS.MANIFEST_NOT_JSON', `the manifest part is not JSON: ${(err as Error).message}`);
  }
  return { model: model.body, manifest, fileName: model.fileName };
}

async function readAll(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) throw new PayloadTooLargeError(maxBytes, 'the model upload');
  const chunks: Buffer[] = [];
  let seen = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    seen += chunk.length;
    if (seen > maxBytes) throw new PayloadTooLargeError(maxBytes, 'the model upload');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function splitParts(body: Buffer, boundary: string): Part[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: Part[] = [];
  let at = body.indexOf(delimiter);
  if (at < 0) throw new ModelUploadError('MODELS.MALFORMED_UPLOAD', 'the body holds no multipart boundary');
  for (;;) {
    const start = at + delimiter.length;
    if (body.subarray(start, start + 2).toString('latin1') === '--') return parts;
    const next = body.indexOf(Buffer.from(`\r\n--${boundary}`), start);
    if (next < 0) throw new ModelUploadError('MODELS.MALFORMED_UPLOAD', 'the body ended before the closing boundary');
    const part = body.subarray(start + 2, next);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd < 0) throw new ModelUploadError('MODELS.MALFORMED_UPLOAD', 'a part has no header block');
    const headers = part.subarray(0, headerEnd).toString('latin1');
    const disposition = /content-disposition:([^\r\n]*)/i.exec(headers)?.[1] ?? '';
    parts.push({ name: /\bname="([^"]*)"/i.exec(disposition)?.[1] ?? null, fileName: /filename="([^"]*)"/i.exec(disposition)?.[1] ?? null, body: part.subarray(headerEnd + 4) });
    at = next + 2;
  }
}
