import { z } from 'zod';
import { modelRefSchema } from './detection-batch.schemas';
import { contractIdSchema, flowEnvelopeSchema } from './flow-batch.schemas';
import { encodeJsonWithArray } from './json-array.encoder';
import { threatExplanationSchema } from './threat-explanation.schemas';

export const THREAT_BATCH_WIRE_VERSION = 1;

export const threatSchema = z.object({
  flowId: z.string().min(1),
  envelope: flowEnvelopeSchema,
  attackClass: z.string().min(1),
  probability: z.number().min(0).max(1),
  /** The three most probable classes, most probable first. */
  top: z.array(z.object({ class: z.string().min(1), probability: z.number().min(0).max(1) })).max(3),
  detectorProbability: z.number().min(0).max(1),
  /** Top contributing features (optional: producers without explanations omit it). */
  explanation: threatExplanationSchema.optional(),
  /** Set when a canary (routed per flow id) made this threat's detection, else the batch's `detector` did. */
  detector: modelRefSchema.optional(),
  /** Set when a canary (routed per flow id) classified this threat, else the batch's `classifier` did. */
  classifier: modelRefSchema.optional(),
});
export type Threat = z.infer<typeof threatSchema>;

/**
 * A threat batch (`threats.<contract>`, Nats-Msg-Id `<batchId>:classify`): the classified
 * flagged flows of one detection batch. Plain JSON: threats are few and every consumer
 * (self-healing, gateway, outside tools) reads them field by field.
 */
export const threatBatchSchema = z.object({
  v: z.literal(THREAT_BATCH_WIRE_VERSION),
  batchId: z.string().min(1),
  contract: z.object({ id: contractIdSchema, version: z.number().int().positive() }),
  sensor: z.string().min(1),
  ingestedAt: z.iso.datetime({ offset: true }),
  detectedAt: z.iso.datetime({ offset: true }),
  classifiedAt: z.iso.datetime({ offset: true }),
  correlationId: z.string().min(1),
  detector: modelRefSchema,
  classifier: modelRefSchema,
  threats: z.array(threatSchema),
});
export type ThreatBatch = z.infer<typeof threatBatchSchema>;

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * The batch as UTF-8 JSON. `explanations[i]`, when given, is the JSON text of threat i's
 * explanation (the threat object then has none), written as is: the classifier's explainer
 * writes it straight from its buffers, byte for byte what JSON.stringify of the object gives
 * (ThreatExplainer.explainJson), which spares an object per threat and a stringify of it.
 */
export function encodeThreatBatchMessage(batch: Omit<ThreatBatch, 'v'>, explanations?: readonly (string | undefined)[]): Uint8Array {
  const { threats, ...rest } = batch;
  return encodeJsonWithArray({ v: THREAT_BATCH_WIRE_VERSION, ...rest }, 'threats', threats, explanations && { key: 'explanation', json: explanations });
}

/** Throws a ZodError or SyntaxError on a message that is not a threat batch. */
export function decodeThreatBatchMessage(bytes: Uint8Array): ThreatBatch {
  return threatBatchSchema.parse(JSON.parse(decoder.decode(bytes)));
}
