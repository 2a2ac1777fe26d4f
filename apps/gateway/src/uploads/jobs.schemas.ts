import { z } from 'zod';

export const jobIdParamSchema = z.uuid();

export const jobErrorsQuerySchema = z.object({
  afterRow: z.coerce.number().int().min(0).default(0).describe('row number of the last error already read'),
  limit: z.coerce.number().int().min(1).max(10_000).default(1000),
});

const rowError = z.object({ row: z.number(), field: z.string().nullable(), code: z.string(), reason: z.string() });

export const jobViewSchema = z.object({
  id: z.string(),
  state: z.enum(['receiving', 'ingesting', 'scoring', 'completed', 'failed', 'duplicate']),
  duplicate: z.boolean().describe('true on an upload answered with an earlier job of the same content'),
  fileName: z.string().nullable(),
  bytes: z.number(),
  sha256: z.string().nullable(),
  contract: z.string().nullable(),
  variant: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  chunks: z.object({ total: z.number().nullable(), published: z.number(), processed: z.number() }),
  rows: z.object({ read: z.number(), accepted: z.number(), duplicates: z.number(), rejected: z.number() }),
  predictions: z.object({ flows: z.number(), threats: z.number() }),
  classificationPending: z.number().describe('rows the detector flagged whose threat result has not arrived; above 0 on a completed job only when classification missed the grace (GATEWAY_JOB_CLASSIFY_GRACE_MS)'),
  progress: z.number().describe('0..1: ingestion (chunks) then scoring (detection of accepted rows, classification of flagged rows)'),
  throughputRowsPerSecond: z.number().nullable(),
  errors: z.array(rowError).describe('the first 100 row errors'),
  errorsUrl: z.string(),
  resultsUrl: z.string(),
  error: z.object({ code: z.string(), message: z.string() }).nullable().describe('why a failed job failed'),
});
export type JobView = z.infer<typeof jobViewSchema>;

export const jobErrorsPageSchema = z.object({ errors: z.array(rowError), nextAfterRow: z.number().nullable() });
