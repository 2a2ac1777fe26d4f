import { z } from 'zod';
import { contractIdSchema, flowEnvelopeSchema } from './flow-batch.schemas';

/** v2: envelopes travel as columns (`env`); v1 (an object per flow in `envelopes`) still decodes. */
export const DETECTION_BATCH_WIRE_VERSION = 2;

export const modelRefSchema = z.object({ name: z.string().min(1), version: z.number().int().positive() });
export type ModelRef = z.infer<typeof modelRefSchema>;

const detectionBatchHeaderFields = {
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
  /** Ascending indices of the flows whose P(attack) reached the threshold. */
  flagged: z.array(z.number().int().nonnegative()),
  /**
   * Present when a canary served part of this batch (routing is per flow id): the ascending
   * row indices the canary version scored; every other row was scored by `model`.
   */
  canary: z.object({ model: modelRefSchema, threshold: z.number().min(0).max(1), rows: z.array(z.number().int().nonnegative()) }).optional(),
};

type Indices = { count: number; flagged: number[]; canary?: { rows: number[] } };
const ascendingBelow = (rows: readonly number[], count: number): boolean => rows.every((i, k) => i < count && (k === 0 || i > rows[k - 1]));
const flaggedOk = (h: Indices): boolean => ascendingBelow(h.flagged, h.count);
const canaryOk = (h: Indices): boolean => ascendingBelow(h.canary?.rows ?? [], h.count);

/**
 * A decoded detection result header (any wire version): one per input flow batch, a result for
 * every flow. After it travel, packed Float32: P(attack) of every flow (`count` values), then
 * the contract-order features of the flagged flows (`flagged.length × featureCount`), so
 * classification needs no lookup.
 */
export const detectionBatchHeaderSchema = z
  .object({ v: z.union([z.literal(1), z.literal(DETECTION_BATCH_WIRE_VERSION)]), ...detectionBatchHeaderFields, envelopes: z.array(flowEnvelopeSchema) })
  .refine((h) => h.flowIds.length === h.count && h.envelopes.length === h.count, { message: 'flowIds and envelopes must each hold `count` entries' })
  .refine(flaggedOk, { message: 'flagged must be ascending indices below count' })
  .refine(canaryOk, { message: 'canary.rows must be ascending indices below count' });

/** The v2 header as it is on the wire: envelopes as columns. */
export const detectionBatchWireHeaderSchema = z
  .object({ v: z.literal(DETECTION_BATCH_WIRE_VERSION), ...detectionBatchHeaderFields, env: z.unknown() })
  .refine((h) => h.flowIds.length === h.count, { message: 'flowIds must hold `count` entries' })
  .refine(flaggedOk, { message: 'flagged must be ascending indices below count' })
  .refine(canaryOk, { message: 'canary.rows must be ascending indices below count' });

export type DetectionBatchHeader = z.infer<typeof detectionBatchHeaderSchema>;
