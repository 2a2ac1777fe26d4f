import { z } from 'zod';

/**
 * Why a flow was called a threat: the features that pushed the model's output most, from an
 * exact attribution over the model's trees (`@vigil/ml` explain: TreeSHAP or Saabas), largest
 * magnitude first. `target` names what was explained (`P(attack)`, `P(DoS | attack)`,
 * `margin(<class>)` for boosted models); expectedValue + the sum of every feature's
 * contribution is that output. A missing (NaN) feature value travels as null.
 */
export const threatExplanationSchema = z.object({
  method: z.enum(['treeshap', 'saabas']),
  target: z.string().min(1),
  expectedValue: z.number(),
  top: z.array(z.object({ feature: z.string().min(1), value: z.number().nullable(), contribution: z.number() })).max(10),
});
export type ThreatExplanation = z.infer<typeof threatExplanationSchema>;
