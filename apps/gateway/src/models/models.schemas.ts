import { modelAliasSchema, replicaModelStatsSchema } from '@vigil/contracts';
import { z } from 'zod';

export const modelNamePathSchema = z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, 'a model name is letters, digits, _ or -');
export const versionPathSchema = z.coerce.number().int().positive();
export const aliasPathSchema = modelAliasSchema;
export const listVersionsQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) }).strict();
export const historyQuerySchema = z.object({ alias: modelAliasSchema.optional(), limit: z.coerce.number().int().min(1).max(1000).default(100) }).strict();
export const setAliasBodySchema = z.object({
  /** null clears canary or shadow (production can never be cleared). */
  version: z.number().int().positive().nullable(),
  /** canary only: the share of flows (0-100 %) routed to it. */
  canaryShare: z.number().min(0).max(100).optional(),
  reason: z.string().max(1000).default(''),
}).strict();
export const rollbackBodySchema = z.object({ reason: z.string().max(1000).default('') }).strict();

/** What `GET /api/v1/models/profile/{name}` answers. */
export const modelProfileSchema = z.object({
  name: z.string(),
  task: z.string(),
  contract: z.object({ id: z.string(), version: z.number() }),
  activeVersion: z.number().int(),
  aliases: z.record(z.string(), z.unknown()),
  metrics: z.record(z.string(), z.unknown()),
  algorithm: z.string(),
  features: z.array(z.string()),
  classLabels: z.array(z.string()),
  threshold: z.number().optional(),
  sizeBytes: z.number().int(),
  sha256: z.string(),
  createdAt: z.string(),
  serving: z.object({
    replicas: z.number().int(),
    replicasServingActive: z.number().int(),
    batches: z.number().int(),
    /** Row-weighted mean of the serving replicas' p50/p99 per runner call; null when none reports stats (see `note`). */
    latencyMs: z.object({ p50: z.number(), p99: z.number() }).nullable(),
    /** Sum of the serving replicas' rows per second over their last ≤ 60 s; null when none reports stats. */
    throughputRowsPerSecond: z.number().nullable(),
    perReplica: z.array(replicaModelStatsSchema.extend({ replica: z.string(), service: z.string() })),
    note: z.string(),
  }),
});
export type ModelProfile = z.infer<typeof modelProfileSchema>;
