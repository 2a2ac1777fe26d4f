import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { MANIFEST_FILE, MODEL_FILE, defaultModelsDir } from '@vigil/inference';
import { LOGGER, type Logger } from '@vigil/observability';
import { DataSource } from 'typeorm';
import { AliasService } from '../aliases/alias.service';
import { REGISTRY_CONFIG } from '../config/model-registry.tokens';
import { type ModelRegistryConfig } from '../config/model-registry.config';
import { VersionRepository } from '../versions/version.repository';
import { VersionService } from '../versions/version.service';

export interface ImportSummary {
  readonly imported: { name: string; version: number }[];
  readonly skipped: number;
  readonly failed: { dir: string; reason: string }[];
  readonly promoted: { name: string; version: number }[];
}

/**
 * Imports `<modelsDir>/<name>/<version>/{model.onnx,manifest.json}` through the same validation
 * as an upload. Idempotent: a folder whose artifact sha256 is already a version of that model is
 * skipped. A model with no production alias gets its highest shipped version as production.
 * A shipped model that fails validation is logged and left out; it never stops the registry.
 */
@Injectable()
export class ShippedModelsImporter {
  constructor(
    @Inject(REGISTRY_CONFIG) private readonly config: Pick<ModelRegistryConfig, 'modelsDir'>,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly versions: VersionService,
    private readonly repo: VersionRepository,
    private readonly aliases: AliasService,
    @Inject(DataSource) private readonly ds: DataSource,
  ) {}

  /** Imports under a Postgres advisory lock, so replicas starting together import each folder once. */
  async importAll(modelsDir = this.config.modelsDir ?? defaultModelsDir()): Promise<ImportSummary> {
    const runner = this.ds.createQueryRunner();
    await runner.connect();
    try {
      await runner.query(`SELECT pg_advisory_lock(hashtext(current_schema() || '.model-import'))`);
      return await this.importUnlocked(modelsDir);
    } finally {
      await runner.query(`SELECT pg_advisory_unlock(hashtext(current_schema() || '.model-import'))`).catch(() => undefined);
      await runner.release();
    }
  }

  private async importUnlocked(modelsDir: string): Promise<ImportSummary> {
    const summary: ImportSummary = { imported: [], skipped: 0, failed: [], promoted: [] };
    if (!existsSync(modelsDir)) {
      this.logger.info({ modelsDir }, 'no shipped models folder; nothing to import');
      return summary;
    }
    for (const name of await subdirs(modelsDir, /^[a-z0-9][a-z0-9-]{1,62}$/)) {
      const folders = (await subdirs(path.join(modelsDir, name), /^[1-9]\d*$/)).map(Number).sort((a, b) => a - b);
      let highest: number | undefined;
      for (const folder of folders) {
        const version = await this.importOne({ dir: path.join(modelsDir, name, String(folder)), name, folder, summary });
        if (version !== undefined) highest = version;
      }
      if (highest !== undefined) await this.promoteIfUnset(name, highest, summary);
    }
    this.logger.info({ modelsDir, imported: summary.imported.length, skipped: summary.skipped, failed: summary.failed.length, promoted: summary.promoted }, 'shipped models imported');
    return summary;
  }

  /** The registry version now holding this folder (imported or already there), or undefined on failure. */
  private async importOne(args: { dir: string; name: string; folder: number; summary: ImportSummary }): Promise<number | undefined> {
    try {
      const model = new Uint8Array(await readFile(path.join(args.dir, MODEL_FILE)));
      const existing = await this.repo.findBySha(args.name, createHash('sha256').update(model).digest('hex'));
      if (existing !== undefined) {
        (args.summary as { skipped: number }).skipped += 1;
        return existing.version;
      }
      const manifest = JSON.parse(await readFile(path.join(args.dir, MANIFEST_FILE), 'utf8')) as { name?: unknown };
      if (manifest.name !== args.name) throw new Error(`manifest names ${String(manifest.name)}, the folder ${args.name}`);
      const created = await this.versions.register({ manifest, model, createdBy: `import:${args.name}/${args.folder}`, source: 'import', requestedVersion: args.folder });
      args.summary.imported.push({ name: created.name, version: created.version });
      return created.version;
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      args.summary.failed.push({ dir: args.dir, reason });
      this.logger.error({ dir: args.dir, err }, 'shipped model version rejected');
      return undefined;
    }
  }

  private async promoteIfUnset(name: string, version: number, summary: ImportSummary): Promise<void> {
    if ((await this.aliases.get(name)).production !== undefined) return;
    await this.aliases.set({ name, alias: 'production', version, actor: 'registry-import', reason: 'highest shipped version on first start', kind: 'import' });
    summary.promoted.push({ name, version });
  }
}

async function subdirs(dir: string, pattern: RegExp): Promise<string[]> {
  return (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory() && pattern.test(e.name)).map((e) => e.name).sort();
}
