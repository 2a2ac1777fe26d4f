import { z } from 'zod';
import { contractIdSchema } from './flow-batch.schemas';
import { STREAMS } from './messaging.subjects';
import { modelTaskSchema } from './model-manifest.schemas';

/**
 * The model registry on the wire: request/reply subjects and payloads the gateway, the CLI and
 * the inference replicas use, the `models.activated.<name>` events it publishes on JetStream
 * when an alias moves, and the rollout reports replicas send back.
 */
export const REGISTRY_REQUESTS = {
  listModels: 'registry.models.list',
  listVersions: 'registry.versions.list',
  getVersion: 'registry.versions.get',
  uploadBegin: 'registry.upload.begin',
  uploadChunk: 'registry.upload.chunk',
  uploadCommit: 'registry.upload.commit',
  downloadArtifact: 'registry.artifact.download',
  getAliases: 'registry.aliases.get',
  setAlias: 'registry.aliases.set',
  rollback: 'registry.aliases.rollback',
  aliasHistory: 'registry.aliases.history',
  rolloutStatus: 'registry.rollout.status',
} as const;
export type RegistryRequestName = keyof typeof REGISTRY_REQUESTS;

export const REGISTRY_ERROR_CODES = {
  InvalidRequest: 'REGISTRY.INVALID_REQUEST',
  ManifestInvalid: 'REGISTRY.MANIFEST_INVALID',
  ModelTooLarge: 'REGISTRY.MODEL_TOO_LARGE',
  ModelInvalidOnnx: 'REGISTRY.MODEL_INVALID_ONNX',
  ModelContractMismatch: 'REGISTRY.MODEL_CONTRACT_MISMATCH',
  ClassLabelsMismatch: 'REGISTRY.CLASS_LABELS_MISMATCH',
  ProbabilitiesInvalid: 'REGISTRY.PROBABILITIES_INVALID',
  ModelNotFound: 'REGISTRY.MODEL_NOT_FOUND',
  VersionNotFound: 'REGISTRY.VERSION_NOT_FOUND',
  UploadNotFound: 'REGISTRY.UPLOAD_NOT_FOUND',
  UploadIncomplete: 'REGISTRY.UPLOAD_INCOMPLETE',
  ChecksumMismatch: 'REGISTRY.CHECKSUM_MISMATCH',
  NothingToRollBack: 'REGISTRY.NOTHING_TO_ROLL_BACK',
  AliasInvalid: 'REGISTRY.ALIAS_INVALID',
} as const;
export type RegistryErrorCode = (typeof REGISTRY_ERROR_CODES)[keyof typeof REGISTRY_ERROR_CODES];

export const MODEL_ALIASES = ['production', 'canary', 'shadow'] as const;
export const modelAliasSchema = z.enum(MODEL_ALIASES);
export type ModelAlias = z.infer<typeof modelAliasSchema>;

/** Largest raw artifact slice per chunk message: base64 of it stays well under NATS's 1 MB default payload. */
export const REGISTRY_CHUNK_BYTES = 512 * 1024;

const modelName = z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'lower-case letters, digits and dashes');
const version = z.number().int().positive();
const actor = z.string().min(1).max(200);
const why = z.string().max(1000).default('');
const isoTime = z.iso.datetime({ offset: true });
const sha256 = z.string().regex(/^[0-9a-f]{64}$/);

export const modelNameRequestSchema = z.object({ name: modelName });
export const listModelsRequestSchema = z.object({}).default({});
export const listVersionsRequestSchema = z.object({ name: modelName, limit: z.number().int().min(1).max(1000).default(100) });
export const versionRequestSchema = z.object({ name: modelName, version });
export const uploadBeginRequestSchema = z.object({
  manifest: z.unknown(),
  sizeBytes: z.number().int().positive(),
  /** Hex sha256 of the whole artifact; checked at commit when given. */
  sha256: sha256.optional(),
  createdBy: actor,
});
export const uploadChunkRequestSchema = z.object({
  uploadId: z.uuid(),
  index: z.number().int().nonnegative(),
  data: z.base64(),
});
export const uploadCommitRequestSchema = z.object({ uploadId: z.uuid() });
export const downloadArtifactRequestSchema = z.object({
  name: modelName,
  version,
  offset: z.number().int().nonnegative().default(0),
  length: z.number().int().positive().max(REGISTRY_CHUNK_BYTES).default(REGISTRY_CHUNK_BYTES),
});
export const setAliasRequestSchema = z.object({
  name: modelName,
  alias: modelAliasSchema,
  /** null clears canary or shadow; production can only move, never be cleared. */
  version: version.nullable(),
  /** canary only: share of batches routed to it, 0-100 %. */
  canaryShare: z.number().min(0).max(100).optional(),
  actor,
  reason: why,
});
export const rollbackRequestSchema = z.object({ name: modelName, alias: modelAliasSchema.default('production'), actor, reason: why });
export const aliasHistoryRequestSchema = z.object({ name: modelName, alias: modelAliasSchema.optional(), limit: z.number().int().min(1).max(1000).default(100) });
export const rolloutStatusRequestSchema = z.object({ name: modelName.optional() });

export const aliasTargetSchema = z.object({ version, canaryShare: z.number().min(0).max(100).optional() });
export const modelAliasesSchema = z.object({
  production: aliasTargetSchema.optional(),
  canary: aliasTargetSchema.optional(),
  shadow: aliasTargetSchema.optional(),
});
export type ModelAliases = z.infer<typeof modelAliasesSchema>;

/** Published on `models.activated.<name>` (msg id `models.activated:<name>:<eventId>`): the model's whole alias state after a move. */
export const modelActivatedEventSchema = z.object({
  event: z.literal('models.activated'),
  eventId: z.number().int().positive(),
  name: modelName,
  task: modelTaskSchema,
  contract: z.object({ id: contractIdSchema, version: z.number().int().positive() }),
  alias: modelAliasSchema,
  from: version.nullable(),
  to: version.nullable(),
  kind: z.enum(['move', 'rollback', 'import']),
  actor,
  reason: z.string(),
  at: isoTime,
  aliases: modelAliasesSchema,
  /** sha256 of every version the aliases point at, so replicas can use cached artifacts. */
  artifacts: z.record(z.string(), sha256),
});
export type ModelActivatedEvent = z.infer<typeof modelActivatedEventSchema>;

export const REPLICA_MODEL_STATES = ['loading', 'loaded', 'serving', 'failed'] as const;

/**
 * Observed inference of one version on one replica (optional: replicas before this field, and
 * versions with no call yet, send none). Latency is per runner call (one micro-batch), not per row.
 */
export const replicaModelStatsSchema = z.object({
  /** Runner calls the percentiles cover: the replica's last ≤ 2,000 calls of this version. */
  calls: z.number().int().nonnegative(),
  /** Rows scored in the last `windowSeconds`. */
  rows: z.number().nonnegative(),
  p50Ms: z.number().nonnegative(),
  p99Ms: z.number().nonnegative(),
  /** rows / windowSeconds. */
  rowsPerSecond: z.number().nonnegative(),
  /** 60, or less while the replica has held the version for under a minute (at least 1). */
  windowSeconds: z.number().positive(),
});
export type ReplicaModelStats = z.infer<typeof replicaModelStatsSchema>;

/** One version as a replica holds it. */
export const replicaModelSchema = z.object({
  name: modelName,
  version,
  state: z.enum(REPLICA_MODEL_STATES),
  /** The aliases this replica serves the version as (empty while loading or after a failure). */
  aliases: z.array(modelAliasSchema),
  reason: z.string().max(2000).optional(),
  batches: z.number().int().nonnegative().default(0),
  /** shadow only: share of rows where shadow and production agreed on the class. */
  agreement: z.object({ rows: z.number().int().nonnegative(), agreed: z.number().int().nonnegative() }).optional(),
  stats: replicaModelStatsSchema.optional(),
});
export type ReplicaModel = z.infer<typeof replicaModelSchema>;

/** Published by every inference replica on `models.rollout.<replica>` (core NATS), on change and as a heartbeat. */
export const rolloutReportSchema = z.object({
  replica: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/),
  service: z.string().min(1).max(64),
  at: isoTime,
  models: z.array(replicaModelSchema),
});
export type RolloutReport = z.infer<typeof rolloutReportSchema>;

export interface RegistryTopology {
  /** JetStream stream holding the activation events. */
  readonly stream: { name: string; subjects: string[] };
  activated(name: string): string;
  readonly activatedAll: string;
  rollout(replica: string): string;
  readonly rolloutAll: string;
  /** Core NATS subject on which the registry asks every replica to report now. */
  readonly rolloutPoll: string;
  request(name: RegistryRequestName): string;
}

/** The registry's subjects behind an optional prefix (tests give each run its own; production has none). */
export function registryTopology(prefix = ''): RegistryTopology {
  if (prefix !== '' && !/^[A-Za-z0-9_-]{1,32}$/.test(prefix)) throw new RangeError(`not a subject prefix: "${prefix}"`);
  const sub = (s: string): string => (prefix === '' ? s : `${prefix}.${s}`);
  const token = (value: string): string => {
    if (!/^[A-Za-z0-9_-]+$/.test(value)) throw new RangeError(`not a subject token: "${value}"`);
    return value;
  };
  return {
    // Only activations are stored: rollout heartbeats are transient and stay out of the stream.
    stream: { name: prefix === '' ? STREAMS.MODELS.name : `${prefix}_${STREAMS.MODELS.name}`, subjects: [sub('models.activated.>')] },
    activated: (name) => sub(`models.activated.${token(name)}`),
    activatedAll: sub('models.activated.>'),
    rollout: (replica) => sub(`models.rollout.${token(replica)}`),
    rolloutAll: sub('models.rollout.>'),
    rolloutPoll: sub('registry.rollout.poll'),
    request: (name) => sub(REGISTRY_REQUESTS[name]),
  };
}

/** A stored version as the registry answers it (the artifact travels separately). */
export const modelVersionInfoSchema = z.object({
  name: modelName,
  version,
  task: modelTaskSchema,
  contract: z.object({ id: contractIdSchema, version: z.number().int().positive() }),
  sha256,
  sizeBytes: z.number().int().positive(),
  createdBy: z.string(),
  createdAt: isoTime,
  source: z.enum(['upload', 'import']),
  aliases: z.array(modelAliasSchema),
  manifest: z.record(z.string(), z.unknown()),
});
export type ModelVersionInfo = z.infer<typeof modelVersionInfoSchema>;

export const artifactChunkSchema = z.object({ name: modelName, version, sha256, sizeBytes: z.number().int().positive(), offset: z.number().int().nonnegative(), data: z.base64() });
export type ArtifactChunk = z.infer<typeof artifactChunkSchema>;
