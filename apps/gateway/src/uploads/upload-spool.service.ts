import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import { createGunzip } from 'node:zlib';
import { BadGzipError } from './uploads.errors';

export interface SpooledFile {
  path: string;
  bytes: number;
  sha256: string;
  gzip: boolean;
}

/**
 * Uploads go to disk first, hashed on the way: the client gets its job id once the bytes are
 * in (not after ingestion), a second upload of the same content is recognised before a single
 * row is published, and memory stays flat whatever the file size.
 */
export class UploadSpool {
  constructor(private readonly dir: string) {}

  pathOf(jobId: string): string {
    return join(this.dir, `${jobId}.upload`);
  }

  async write(jobId: string, bytes: AsyncIterable<Buffer>): Promise<SpooledFile> {
    await mkdir(this.dir, { recursive: true });
    const path = this.pathOf(jobId);
    const out = createWriteStream(path);
    const hash = createHash('sha256');
    let size = 0;
    let head = Buffer.alloc(0);
    try {
      for await (const chunk of bytes) {
        hash.update(chunk);
        size += chunk.length;
        if (head.length < 2) head = Buffer.concat([head, chunk.subarray(0, 2)]);
        if (!out.write(chunk)) await once(out, 'drain');
      }
      out.end();
      await once(out, 'finish');
    } catch (err) {
      out.destroy();
      await rm(path, { force: true });
      throw err;
    }
    return { path, bytes: size, sha256: hash.digest('hex'), gzip: head[0] === 0x1f && head[1] === 0x8b };
  }

  /**
   * A job's file as spooled before a restart, or null when it is not here whole (another pod's
   * spool, an ephemeral volume, a partial write): resuming must send exactly the bytes received.
   */
  async reopen(job: { id: string; bytes: number; sha256: string }): Promise<SpooledFile | null> {
    const path = this.pathOf(job.id);
    const handle = await open(path, 'r').catch(() => null);
    if (handle === null) return null;
    try {
      if ((await handle.stat()).size !== job.bytes) return null;
      const head = Buffer.alloc(2);
      const { bytesRead } = await handle.read(head, 0, 2, 0);
      return { path, bytes: job.bytes, sha256: job.sha256, gzip: bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b };
    } finally {
      await handle.close();
    }
  }

  async remove(path: string): Promise<void> {
    await rm(path, { force: true });
  }
}

/** The file's text bytes: gunzipped when it is gzip, a damaged stream failing with UPLOAD.BAD_GZIP. */
export async function* spooledText(file: SpooledFile): AsyncGenerator<Buffer> {
  const raw = createReadStream(file.path, { highWaterMark: 256 * 1024 });
  if (!file.gzip) {
    for await (const chunk of raw) yield chunk as Buffer;
    return;
  }
  const gunzip = createGunzip();
  raw.pipe(gunzip);
  try {
    for await (const chunk of gunzip) yield chunk as Buffer;
  } catch (err) {
    throw new BadGzipError(err instanceof Error ? err.message : String(err));
  } finally {
    raw.destroy();
  }
}
