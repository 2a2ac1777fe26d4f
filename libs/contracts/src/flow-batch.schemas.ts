import { z } from 'zod';

/** v2: envelopes travel as columns (`env`); v1 (an object per flow in `envelopes`) still decodes. */
export const FLOW_BATCH_WIRE_VERSION = 2;

export const contractIdSchema = z.enum(['nsl-kdd', 'cicflowmeter']);

export const flowEnvelopeSchema = z.object({
  flowId: z.string().optional(),
  srcIp: z.string().optional(),
  srcPort: z.number().int().min(0).max(65535).optional(),
  dstIp: z.string().optional(),
  dstPort: z.number().int().min(0).max(65535).optional(),
  protocol: z.number().int().min(0).max(255).optional(),
  timestamp: z.string().optional(),
});

export const canonicalLabelSchema = z.object({
  raw: z.string(),
  label: z.string(),
  family: z.string(),
  isAttack: z.boolean(),
});

const flowBatchHeaderFields = {
  batchId: z.string().min(1),
  contract: z.object({ id: contractIdSchema, version: z.number().int().positive() }),
  variant: z.string().optional(),
  count: z.number().int().nonnegative(),
  featureCount: z.number().int().positive(),
  sensor: z.string().min(1),
  ingestedAt: z.iso.datetime({ offset: true }),
  correlationId: z.string().min(1),
  /** Vigil flow ids, unique per flow: the idempotency key of every later stage. */
  flowIds: z.array(z.string().min(1)),
  labels: z.array(canonicalLabelSchema.nullable()).optional(),
};

/** A decoded flow batch header (any wire version): the features travel after it as packed Float32. */
export const flowBatchHeaderSchema = z
  .object({ v: z.union([z.literal(1), z.literal(FLOW_BATCH_WIRE_VERSION)]), ...flowBatchHeaderFields, envelopes: z.array(flowEnvelopeSchema) })
  .refine((h) => h.flowIds.length === h.count && h.envelopes.length === h.count && (h.labels?.length ?? h.count) === h.count, {
    message: 'flowIds, envelopes and labels must each hold `count` entries',
  });

/** The v2 header as it is on the wire: envelopes as columns. */
export const flowBatchWireHeaderSchema = z
  .object({ v: z.literal(FLOW_BATCH_WIRE_VERSION), ...flowBatchHeaderFields, env: z.unknown() })
  .refine((h) => h.flowIds.length === h.count && (h.labels?.length ?? h.count) === h.count, {
    message: 'flowIds and labels must each hold `count` entries',
  });

export type FlowBatchHeader = z.infer<typeof flowBatchHeaderSchema>;
