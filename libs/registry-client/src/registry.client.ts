import { createHash } from 'node:crypto';
import {
  REGISTRY_CHUNK_BYTES, artifactChunkSchema, modelVersionInfoSchema, registryTopology, type ModelAlias, type ModelAliases, type ModelVersionInfo,
  type RegistryRequestName, type RegistryTopology,
} from '@vigil/contracts';
import { request } from '@vigil/messaging';
import { type NatsConnection } from '@nats-io/nats-core';
import { RegistryClientError } from './registry-client.errors';
import { inferReplySchema, registryInferSubject, type InferReply, type InferRequest } from './registry-infer.schemas';

export interface RegistryClientOptions {
  readonly connection: NatsConnection;
  /** Subject prefix of the registry (empty in production). */
  readonly prefix?: string;
  readonly timeoutMs?: number;
  /** Validation of a committed upload runs onnxruntime; give it longer. */
  readonly commitTimeoutMs?: number;
}

/**
 * Typed request/reply client of the model registry: what replicas, the CLI and tests call.
 * Artifacts move in REGISTRY_CHUNK_BYTES slices, so any size under the registry's cap fits
 * NATS's default 1 MB payload.
 */
export class RegistryClient {
  readonly topology: RegistryTopology;

  constructor(private readonly opts: RegistryClientOptions) {
    this.topology = registryTopology(opts.prefix ?? '');
  }

  ask<T>(name: RegistryRequestName, payload: unknown = {}, timeoutMs = this.opts.timeoutMs ?? 10_000): Promise<T> {
    return request<T>(this.opts.connection, { subject: this.topology.request(name), payload, timeoutMs });
  }

  async upload(args: { manifest: unknown; model: Uint8Array; createdBy: string }): Promise<ModelVersionInfo & { validationMs: number }> {
    const sha256 = createHash('sha256').update(args.model).digest('hex');
    const begun = await this.ask<{ uploadId: string; chunkBytes: number; chunks: number }>('uploadBegin', { manifest: args.manifest, sizeBytes: args.model.byteLength, sha256, createdBy: args.createdBy });
    for (let index = 0; index < begun.chunks; index++) {
      const slice = args.model.subarray(index * begun.chunkBytes, (index + 1) * begun.chunkBytes);
      await this.ask('uploadChunk', { uploadId: begun.uploadId, index, data: Buffer.from(slice.buffer, slice.byteOffset, slice.byteLength).toString('base64') });
    }
    const created = await this.ask<unknown>('uploadCommit', { uploadId: begun.uploadId }, this.opts.commitTimeoutMs ?? 120_000);
    return { ...modelVersionInfoSchema.parse(created), validationMs: (created as { validationMs: number }).validationMs };
  }

  async version(name: string, version: number): Promise<ModelVersionInfo> {
    return modelVersionInfoSchema.parse(await this.ask('getVersion', { name, version }));
  }

  async aliases(name: string): Promise<ModelAliases> {
    return (await this.ask<{ aliases: ModelAliases }>('getAliases', { name })).aliases;
  }

  setAlias(args: { name: string; alias: ModelAlias; version: number | null; canaryShare?: number; actor: string; reason?: string }): Promise<{ aliases: ModelAliases }> {
    return this.ask('setAlias', args);
  }

  rollback(args: { name: string; alias?: ModelAlias; actor: string; reason?: string }): Promise<{ aliases: ModelAliases }> {
    return this.ask('rollback', args);
  }

  /** Runs rows (model-input order) through a registered version inside the registry (`registry.infer`). */
  async infer(args: InferRequest, timeoutMs = 30_000): Promise<InferReply> {
    const reply = await request<unknown>(this.opts.connection, { subject: registryInferSubject(this.opts.prefix ?? ''), payload: args, timeoutMs });
    return inferReplySchema.parse(reply);
  }

  /** The whole artifact, slice by slice, checked against the registry's sha256. */
  async download(name: string, version: number): Promise<{ model: Uint8Array; sha256: string }> {
    const parts: Buffer[] = [];
    let offset = 0;
    let total = Infinity;
    let sha256 = '';
    while (offset < total) {
      const chunk = artifactChunkSchema.parse(await this.ask('downloadArtifact', { name, version, offset, length: REGISTRY_CHUNK_BYTES }));
      const data = Buffer.from(chunk.data, 'base64');
      if (data.byteLength === 0) break;
      parts.push(data);
      offset += data.byteLength;
      total = chunk.sizeBytes;
      sha256 = chunk.sha256;
    }
    const model = Buffer.concat(parts);
    const got = createHash('sha256').update(model).digest('hex');
    if (model.byteLength !== total || got !== sha256) {
      throw new RegistryClientError('REGISTRY_CLIENT.ARTIFACT_CORRUPT', `${name} v${version}: downloaded ${model.byteLength} bytes hashing to ${got}; the registry holds ${total} bytes hashing to ${sha256}`);
    }
    return { model: new Uint8Array(model.buffer, model.byteOffset, model.byteLength), sha256 };
  }
}
