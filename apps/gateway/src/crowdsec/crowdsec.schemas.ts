import { z } from 'zod';

/** One decision in CrowdSec's Local API format, as bouncers read it. */
export const crowdSecDecisionSchema = z.object({
  id: z.number().int(),
  uuid: z.string(),
  origin: z.string(),
  /** `ban`, or `captcha` for Vigil's throttle (CrowdSec's soft remediation); see docs/api.md. */
  type: z.string(),
  scope: z.enum(['Ip', 'Range']),
  value: z.string(),
  /** Go duration left, e.g. `3h59m58s`. */
  duration: z.string(),
  scenario: z.string(),
});
export type CrowdSecDecision = z.infer<typeof crowdSecDecisionSchema>;

export const streamAnswerSchema = z.object({ new: z.array(crowdSecDecisionSchema), deleted: z.array(crowdSecDecisionSchema) });
export type StreamAnswer = z.infer<typeof streamAnswerSchema>;

const list = z.string().transform((s) => s.split(',').map((x) => x.trim()).filter((x) => x !== ''));
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/** `GET /v1/decisions/stream` query (unknown parameters are ignored, as CrowdSec does). */
export const streamQuerySchema = z.object({
  startup: bool.default(false),
  scopes: list.default(['ip', 'range']),
  origins: list.optional(),
  scenarios_containing: list.optional(),
  scenarios_not_containing: list.optional(),
});
export type StreamQuery = z.infer<typeof streamQuerySchema>;

/** `GET /v1/decisions` query. */
export const decisionsQuerySchema = z.object({
  ip: z.string().min(1).max(64).optional(),
  range: z.string().min(1).max(64).optional(),
  scope: z.string().min(1).max(16).optional(),
  value: z.string().min(1).max(64).optional(),
  type: z.string().min(1).max(32).optional(),
  contains: bool.default(true),
  origins: list.optional(),
});
export type DecisionsQuery = z.infer<typeof decisionsQuerySchema>;
