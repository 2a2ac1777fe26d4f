import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { REGISTRY_CHUNK_BYTES } from '@vigil/contracts';
import { CLOCK, type Clock } from '../config/model-registry.tokens';
import { REGISTRY_ERROR_CODES as C, RegistryError } from '../model-registry.errors';
import { parseManifest } from '../validation/manifest.rules';
import { ModelValidationService } from '../validation/model-validation.service';
import { VersionService, type RegisteredVersion } from '../versions/version.service';
import { UploadRepository } from './upload.repository';

/**
 * Uploads of any size under the cap over NATS request/reply: begin (manifest + size, checked at
 * once), numbered chunks of at most REGISTRY_CHUNK_BYTES, then commit, which reassembles, checks
 * the size and sha256 and hands the bytes to validation. The session ends with the commit,
 * accepted or not.
 */
@Injectable()
export class UploadService {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly repo: UploadRepository,
    private readonly validator: ModelValidationService,
    private readonly versions: VersionService,
  ) {}

  async begin(args: { manifest: unknown; sizeBytes: number; sha256?: string; createdBy: string }): Promise<{ uploadId: string; chunkBytes: number; chunks: number }> {
    this.validator.checkSize(args.sizeBytes);
    parseManifest(args.manifest);
    const uploadId = randomUUID();
    await this.repo.create({ id: uploadId, manifest: args.manifest, sizeBytes: args.sizeBytes, sha256: args.sha256 ?? null, createdBy: args.createdBy, createdAt: this.clock.now() });
    return { uploadId, chunkBytes: REGISTRY_CHUNK_BYTES, chunks: Math.ceil(args.sizeBytes / REGISTRY_CHUNK_BYTES) };
  }

  async chunk(args: { uploadId: string; index: number; data: string }): Promise<{ uploadId: string; index: number; bytes: number }> {
    const session = await this.session(args.uploadId);
    const data = Buffer.from(args.data, 'base64');
    const chunks = Math.ceil(session.sizeBytes / REGISTRY_CHUNK_BYTES);
    if (args.index >= chunks || data.byteLength > REGISTRY_CHUNK_BYTES || data.byteLength === 0) {
      throw new RegistryError(C.InvalidRequest, `chunk ${args.index} (${data.byteLength} bytes) does not fit an upload of ${session.sizeBytes} bytes in ${chunks} chunks of at most ${REGISTRY_CHUNK_BYTES}`);
    }
    await this.repo.putChunk({ id: args.uploadId, index: args.index, data });
    return { uploadId: args.uploadId, index: args.index, bytes: data.byteLength };
  }

  async commit(uploadId: string): Promise<RegisteredVersion> {
    const session = await this.session(uploadId);
    const chunks = await this.repo.chunks(uploadId);
    const expected = Math.ceil(session.sizeBytes / REGISTRY_CHUNK_BYTES);
    const missing = [...Array(expected).keys()].filter((i) => chunks[i]?.index !== i);
    const model = Buffer.concat(chunks.map((c) => c.data));
    // An incomplete upload stays open: the client may send the missing chunks and commit again.
    if (missing.length > 0 || model.byteLength !== session.sizeBytes) {
      throw new RegistryError(C.UploadIncomplete, `upload ${uploadId} has ${model.byteLength} of ${session.sizeBytes} bytes; missing chunks ${missing.slice(0, 20).join(', ') || 'none'}`, { missing });
    }
    try {
      const sha256 = createHash('sha256').update(model).digest('hex');
      if (session.sha256 !== null && session.sha256 !== sha256) {
        throw new RegistryError(C.ChecksumMismatch, `uploaded bytes hash to ${sha256}, the client announced ${session.sha256}`);
      }
      return await this.versions.register({ manifest: session.manifest, model: new Uint8Array(model.buffer, model.byteOffset, model.byteLength), createdBy: session.createdBy, source: 'upload' });
    } finally {
      await this.repo.delete(uploadId);
    }
  }

  async sweep(ttlMs: number): Promise<number> {
    return this.repo.deleteOlderThan(new Date(this.clock.now().getTime() - ttlMs));
  }

  private async session(uploadId: string) {
    const session = await this.repo.find(uploadId);
    if (session === undefined) throw new RegistryError(C.UploadNotFound, `no open upload ${uploadId} (committed, expired or never begun)`, { uploadId });
    return session;
  }
}
