import { contractIdSchema, threatExplanationSchema } from '@vigil/contracts';
import { z } from 'zod';

const isoTime = z.iso.datetime({ offset: true }).transform((s) => new Date(s));

export const listAlertsQuerySchema = z.object({
  from: isoTime.optional().describe('earliest alert time (inclusive), ISO 8601'),
  to: isoTime.optional().describe('latest alert time (exclusive), ISO 8601'),
  contract: contractIdSchema.optional(),
  class: z.string().min(1).max(100).optional().describe('attack class as the classifier names it'),
  sourceIp: z.string().min(2).max(64).optional().describe('exact source IP'),
  minConfidence: z.coerce.number().min(0).max(1).optional().describe('lowest classifier probability'),
  jobId: z.uuid().optional().describe('alerts of one upload job'),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().max(200).optional().describe('`nextCursor` of the previous page'),
});
export type ListAlertsQuery = z.output<typeof listAlertsQuerySchema>;

export const alertIdSchema = z.string().regex(/^[0-9a-f]{32}$/, 'an alert id is the 32-hex flow id');

const modelOutput = z.object({ name: z.string(), version: z.string() });

export const alertSchema = z.object({
  id: z.string().describe('the flow id'),
  at: z.string().describe('when it was classified'),
  contract: z.string(),
  sensor: z.string(),
  jobId: z.string().nullable(),
  batchId: z.string(),
  sourceIp: z.string().nullable(),
  destinationIp: z.string().nullable(),
  sourcePort: z.number().nullable(),
  destinationPort: z.number().nullable(),
  protocol: z.string().nullable(),
  attackClass: z.string(),
  confidence: z.number(),
  top: z.array(z.object({ class: z.string(), probability: z.number() })),
  detector: modelOutput.extend({ probability: z.number() }),
  classifier: modelOutput.extend({ probability: z.number() }),
  envelope: z.record(z.string(), z.unknown()),
  explanation: threatExplanationSchema.nullable().describe('the top contributing features the classifier sent with the threat; null when it sent none'),
  features: z.record(z.string(), z.union([z.number(), z.string(), z.null()])).nullable().optional().describe(
    'GET /alerts/{id} only: the flow\'s feature values in contract order (categorical values as words, missing as null, ±Infinity as a string); null once pruned or when the detection result was not stored',
  ),
  ingestedAt: z.string(),
  detectedAt: z.string(),
});
export type Alert = z.infer<typeof alertSchema>;

export const alertPageSchema = z.object({ items: z.array(alertSchema), nextCursor: z.string().nullable() });
