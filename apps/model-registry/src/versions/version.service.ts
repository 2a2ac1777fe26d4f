import { Inject, Injectable } from '@nestjs/common';
import { type ModelVersionInfo } from '@vigil/contracts';
import { LOGGER, type Logger } from '@vigil/observability';
import { CLOCK, type Clock } from '../config/model-registry.tokens';
import { ModelValidationService } from '../validation/model-validation.service';
import { VersionRepository, type VersionRow } from './version.repository';

export interface RegisteredVersion extends ModelVersionInfo {
  readonly validationMs: number;
}

export function toVersionInfo(row: VersionRow): ModelVersionInfo {
  return {
    name: row.name, version: row.version, task: row.manifest.task, contract: row.manifest.contract, sha256: row.sha256, sizeBytes: row.sizeBytes,
    createdBy: row.createdBy, createdAt: new Date(row.createdAt).toISOString(), source: row.source, aliases: row.aliases,
    manifest: row.manifest as unknown as Record<string, unknown>,
  };
}

/** Validates and stores new versions; answers version queries. */
@Injectable()
export class VersionService {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly validator: ModelValidationService,
    private readonly repo: VersionRepository,
  ) {}

  async register(args: { manifest: unknown; model: Uint8Array; createdBy: string; source: 'upload' | 'import'; requestedVersion?: number }): Promise<RegisteredVersion> {
    const valid = await this.validator.validate(args.manifest, args.model);
    const row = await this.repo.insert({
      manifest: valid.manifest, artifact: args.model, sha256: valid.sha256, source: args.source, createdBy: args.createdBy, at: this.clock.now(),
      requestedVersion: args.requestedVersion,
    });
    this.logger.info({ model: row.name, version: row.version, sha256: row.sha256, sizeBytes: row.sizeBytes, validationMs: Math.round(valid.validationMs), source: args.source }, 'model version registered');
    return { ...toVersionInfo(row), validationMs: valid.validationMs };
  }

  async get(name: string, version: number): Promise<ModelVersionInfo> {
    return toVersionInfo(await this.repo.get(name, version));
  }

  async list(name: string, limit: number): Promise<ModelVersionInfo[]> {
    return (await this.repo.list(name, limit)).map(toVersionInfo);
  }
}
