import { z } from 'zod';
import { modelRefSchema } from './detection-batch.schemas';

/**
 * Live drift of one served model version against its manifest's reference histograms:
 * population stability index per feature and overall (mean over features), over the
 * replica's sliding window. Served by each inference replica for itself on
 * `<stage>.drift.<model>` (core request/reply) and carried by drift alert events.
 */
export const featureDriftSchema = z.object({ feature: z.string().min(1), psi: z.number() });

export const versionDriftSchema = z.object({
  model: modelRefSchema,
  /** Rows inside the window. */
  rows: z.number().int().nonnegative(),
  overall: z.number(),
  bound: z.number(),
  alert: z.boolean(),
  /** Most drifting first (every feature in a reply, the top 10 in an alert event). */
  features: z.array(featureDriftSchema),
});
export type VersionDrift = z.infer<typeof versionDriftSchema>;

/** One replica's answer to `<stage>.drift.<model>`: every version it serves of the model. */
export const driftReplySchema = z.object({
  replica: z.string().min(1),
  stage: z.string().min(1),
  at: z.string(),
  window: z.object({ slots: z.number().int().positive(), slotMs: z.number().int().positive() }),
  versions: z.array(versionDriftSchema),
});
export type DriftReply = z.infer<typeof driftReplySchema>;

/** Published on `events.drift.<model>` (stream EVENTS) when a version's overall PSI reaches the bound. */
export const driftAlertEventSchema = z.object({
  v: z.literal(1),
  kind: z.literal('drift'),
  replica: z.string().min(1),
  stage: z.string().min(1),
  at: z.string(),
  drift: versionDriftSchema,
});
export type DriftAlertEvent = z.infer<typeof driftAlertEventSchema>;
