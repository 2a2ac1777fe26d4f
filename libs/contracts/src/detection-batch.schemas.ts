import { z } from 'zod';
import { contractIdSchema, flowEnvelopeSchema } from './flow-batch.schemas';

export const DETECTION_BATCH_WIRE_VERSION = 1;

export const modelRefSchema = z.object({ name: z.string().min(1), version: z.number().int().positive() });
export type ModelRef = z.infer<typeof modelRefSchema>;

/**
 * The JSON header of a detection result message: one per input flow batch, a result for every
 * flow. After it travel, packed Float32: P(attack) of every flow (`count` values), then the
 * contract-order features of the flagged flows (`flagged.length × featureCount`), so
 * classification needs no lookup.
 */
export const detectionBatchHeaderSchema = z
  .object({
    v: z.literal(DETECTION_BATCH_WIRE_VERSION),
    /** The input flow batch id; the result's Nats-Msg-Id is `<batchId>:detect`. */
    batchId: z.string().min(1),
    contract: z.object({ id: contractIdSchema, version: z.number().int().positive() }),
    sensor: z.string().min(1),
    ingestedAt: z.iso.datetime({ offset: true }),
    detectedAt: z.iso.datetime({ offset: true }),
    correlationId: z.string().min(1),
    model: modelRefSchema,
    threshold: z.number().min(0).max(1),
    count: z.number().int().nonnegative(),
    featureCount: z.number().int().positive(),
    flowIds: z.array(z.string().min(1)),
    envelopes: z.array(flowEnvelopeSchema),
    /** Ascending indices of the flows whose P(attack) reached the threshold. */
    flagged: z.array(z.number().int().nonnegative()),
    /**
     * Present when a canary served part of this batch (routing is per flow id): the ascending
     * row indices the canary version scored; every other row was scored by `model`.
     */
    canary: z.object({ model: modelRefSchema, threshold: z.number().min(0).max(1), rows: z.array(z.number().int().nonnegative()) }).optional(),
  })
  .refine((h) => h.flowIds.length === h.count && h.envelopes.length === h.count, { message: 'flowIds and envelopes must each hold `count` entries' })
  .refine((h) => h.flagged.every((i, k) => i < h.count && (k === 0 || i > h.flagged[k - 1])), { message: 'flagged must be ascending indices below count' })
  .refine((h) => (h.canary?.rows ?? []).every((i, k, rows) => i < h.count && (k === 0 || i > rows[k - 1])), { message: 'canary.rows must be ascending indices below count' });

export type DetectionBatchHeader = z.infer<typeof detectionBatchHeaderSchema>;
