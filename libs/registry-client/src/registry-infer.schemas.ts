import { modelAliasSchema } from '@vigil/contracts';
import { z } from 'zod';

/**
 * `registry.infer` (core NATS request/reply, behind PIPELINE_PREFIX): direct inference on any
 * registered version, for the gateway's KServe v2 endpoints (the gateway runs no models). Rows
 * are in the model's own input order (its manifest's `features`), row-major; `null` stands for
 * NaN, which JSON cannot carry.
 */
export const REGISTRY_INFER_SUBJECT = 'registry.infer';
export const MAX_INFER_ROWS = 10_000;

export const inferRequestSchema = z.object({
  name: z.string().min(1).max(128),
  /** A version number; without it, the version `alias` (default production) points at. */
  version: z.number().int().positive().optional(),
  alias: modelAliasSchema.optional(),
  rows: z.number().int().min(1).max(MAX_INFER_ROWS),
  features: z.array(z.number().nullable()),
});
export type InferRequest = z.infer<typeof inferRequestSchema>;

export const inferReplySchema = z.object({
  name: z.string(),
  version: z.number().int(),
  task: z.enum(['detect', 'classify']),
  features: z.array(z.string()),
  classLabels: z.array(z.string()),
  /** The label of each row under the manifest's decision rule (threshold, gated classes). */
  labels: z.array(z.string()),
  /** rows × classLabels.length, row-major. */
  probabilities: z.array(z.number()),
  inferenceMs: z.number(),
});
export type InferReply = z.infer<typeof inferReplySchema>;

export function registryInferSubject(prefix = ''): string {
  return prefix === '' ? REGISTRY_INFER_SUBJECT : `${prefix}.${REGISTRY_INFER_SUBJECT}`;
}
