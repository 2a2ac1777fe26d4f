import { Inject, Injectable } from '@nestjs/common';
import { type ModelAlias, type ModelManifest } from '@vigil/contracts';
import { DataSource } from 'typeorm';
import { REGISTRY_ERROR_CODES as C, RegistryError } from '../model-registry.errors';

export interface VersionRow {
  readonly name: string;
  readonly version: number;
  readonly sha256: string;
  readonly sizeBytes: number;
  readonly manifest: ModelManifest;
  readonly source: 'upload' | 'import';
  readonly createdBy: string;
  readonly createdAt: Date;
  readonly aliases: ModelAlias[];
}

export interface ModelRow {
  readonly name: string;
  readonly task: 'detect' | 'classify';
  readonly contract: { id: string; version: number };
  readonly latestVersion: number;
  readonly versions: number;
  readonly createdAt: Date;
}

export interface NewVersion {
  readonly manifest: ModelManifest;
  readonly artifact: Uint8Array;
  readonly sha256: string;
  readonly source: 'upload' | 'import';
  readonly createdBy: string;
  readonly at: Date;
  /** Imports keep their folder's number when it is free; uploads take the next one. */
  readonly requestedVersion?: number;
}

const VERSION_COLUMNS = `v.model_name AS name, v.version, v.sha256, v.size_bytes AS "sizeBytes", v.manifest, v.source, v.created_by AS "createdBy", v.created_at AS "createdAt",
  COALESCE((SELECT array_agg(a.alias ORDER BY a.alias) FROM model_aliases a WHERE a.model_name = v.model_name AND a.version = v.version), '{}') AS aliases`;

/** Models and their immutable versions; the artifact bytes are read only when asked for. */
@Injectable()
export class VersionRepository {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  /** Numbers and stores a version under the model's row lock, so concurrent uploads never share a number. */
  insert(v: NewVersion): Promise<VersionRow> {
    const m = v.manifest;
    return this.ds.transaction(async (em) => {
      await em.query(
        `INSERT INTO models (name, task, contract_id, contract_version, latest_version, created_at) VALUES ($1, $2, $3, $4, 0, $5) ON CONFLICT (name) DO NOTHING`,
        [m.name, m.task, m.contract.id, m.contract.version, v.at],
      );
      const [model] = (await em.query(`SELECT task, contract_id, contract_version, latest_version FROM models WHERE name = $1 FOR UPDATE`, [m.name])) as {
        task: string; contract_id: string; contract_version: number; latest_version: number;
      }[];
      if (model.task !== m.task || model.contract_id !== m.contract.id || model.contract_version !== m.contract.version) {
        throw new RegistryError(C.ManifestInvalid, `model ${m.name} is a ${model.task} model of ${model.contract_id}@${model.contract_version}; this manifest says ${m.task} of ${m.contract.id}@${m.contract.version}`);
      }
      const taken = v.requestedVersion !== undefined && (await em.query(`SELECT 1 FROM model_versions WHERE model_name = $1 AND version = $2`, [m.name, v.requestedVersion])).length > 0;
      const version = v.requestedVersion !== undefined && !taken ? v.requestedVersion : model.latest_version + 1;
      await em.query(`UPDATE models SET latest_version = GREATEST(latest_version, $2) WHERE name = $1`, [m.name, version]);
      const manifest = { ...m, version };
      await em.query(
        `INSERT INTO model_versions (model_name, version, sha256, size_bytes, manifest, artifact, source, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [m.name, version, v.sha256, v.artifact.byteLength, JSON.stringify(manifest), Buffer.from(v.artifact.buffer, v.artifact.byteOffset, v.artifact.byteLength), v.source, v.createdBy, v.at],
      );
      return { name: m.name, version, sha256: v.sha256, sizeBytes: v.artifact.byteLength, manifest, source: v.source, createdBy: v.createdBy, createdAt: v.at, aliases: [] };
    });
  }

  async findBySha(name: string, sha256: string): Promise<VersionRow | undefined> {
    const rows = (await this.ds.query(`SELECT ${VERSION_COLUMNS} FROM model_versions v WHERE v.model_name = $1 AND v.sha256 = $2 ORDER BY v.version LIMIT 1`, [name, sha256])) as VersionRow[];
    return rows[0];
  }

  async get(name: string, version: number): Promise<VersionRow> {
    const rows = (await this.ds.query(`SELECT ${VERSION_COLUMNS} FROM model_versions v WHERE v.model_name = $1 AND v.version = $2`, [name, version])) as VersionRow[];
    if (rows[0] === undefined) throw new RegistryError(C.VersionNotFound, `model ${name} has no version ${version}`, { name, version });
    return rows[0];
  }

  async list(name: string, limit: number): Promise<VersionRow[]> {
    await this.model(name);
    return (await this.ds.query(`SELECT ${VERSION_COLUMNS} FROM model_versions v WHERE v.model_name = $1 ORDER BY v.version DESC LIMIT $2`, [name, limit])) as VersionRow[];
  }

  async model(name: string): Promise<ModelRow> {
    const rows = await this.models(name);
    if (rows[0] === undefined) throw new RegistryError(C.ModelNotFound, `no model named ${name}`, { name });
    return rows[0];
  }

  async models(name?: string): Promise<ModelRow[]> {
    const rows = (await this.ds.query(
      `SELECT m.name, m.task, m.contract_id, m.contract_version, m.latest_version, m.created_at, (SELECT count(*)::int FROM model_versions v WHERE v.model_name = m.name) AS versions
       FROM models m WHERE ($1::text IS NULL OR m.name = $1) ORDER BY m.name`,
      [name ?? null],
    )) as { name: string; task: 'detect' | 'classify'; contract_id: string; contract_version: number; latest_version: number; created_at: Date; versions: number }[];
    return rows.map((r) => ({ name: r.name, task: r.task, contract: { id: r.contract_id, version: r.contract_version }, latestVersion: r.latest_version, versions: r.versions, createdAt: r.created_at }));
  }

  /** `length` bytes of the artifact from `offset` (Postgres slices the bytea; the whole file never has to be read). */
  async artifactSlice(args: { name: string; version: number; offset: number; length: number }): Promise<{ data: Buffer; sha256: string; sizeBytes: number }> {
    const rows = (await this.ds.query(
      `SELECT substring(artifact FROM $3 FOR $4) AS data, sha256, size_bytes FROM model_versions WHERE model_name = $1 AND version = $2`,
      [args.name, args.version, args.offset + 1, args.length],
    )) as { data: Buffer; sha256: string; size_bytes: number }[];
    if (rows[0] === undefined) throw new RegistryError(C.VersionNotFound, `model ${args.name} has no version ${args.version}`, { name: args.name, version: args.version });
    return { data: rows[0].data, sha256: rows[0].sha256, sizeBytes: rows[0].size_bytes };
  }
}
