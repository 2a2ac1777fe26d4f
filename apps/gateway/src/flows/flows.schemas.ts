import { contractIdSchema } from '@vigil/contracts';
import { z } from 'zod';

export const submitFlowsBodySchema = z.object({
  contract: contractIdSchema,
  sensor: z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/).optional(),
  records: z.array(z.record(z.string(), z.unknown())).min(1).max(10_000).describe('records of one contract; any column spelling the contract knows'),
});

export const submitFlowsQuerySchema = z.object({
  wait: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  timeoutMs: z.coerce.number().int().min(100).max(120_000).optional(),
});

const detection = z.object({ isThreat: z.boolean(), probability: z.number(), model: z.string() });
const classification = z.object({ attackClass: z.string(), probability: z.number(), top: z.array(z.object({ class: z.string(), probability: z.number() })), model: z.string() });

export const recordResultSchema = z.object({
  row: z.number(),
  status: z.enum(['accepted', 'duplicate', 'rejected']),
  flowId: z.string().optional(),
  field: z.string().optional(),
  code: z.string().optional(),
  reason: z.string().optional(),
  warnings: z.array(z.object({ field: z.string(), code: z.string(), reason: z.string() })).optional(),
  detection: detection.optional().describe('with wait=true, once the detector answered'),
  classification: classification.optional().describe('with wait=true, for flagged flows once the classifier answered'),
});

export const submitFlowsReplySchema = z.object({
  contract: z.string(),
  rows: z.number(),
  accepted: z.number(),
  duplicates: z.number(),
  rejected: z.number(),
  batches: z.number(),
  batchIds: z.array(z.string()),
  results: z.array(recordResultSchema),
  complete: z.boolean().optional().describe('with wait=true: every accepted flow has its results (false when the wait timed out)'),
});
export type SubmitFlowsReply = z.infer<typeof submitFlowsReplySchema>;
export type RecordResult = z.infer<typeof recordResultSchema>;
export type Detection = z.infer<typeof detection>;
export type Classification = z.infer<typeof classification>;
