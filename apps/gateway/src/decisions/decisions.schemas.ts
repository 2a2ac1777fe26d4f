import {
  allowlistEntrySchema, decisionActionSchema, decisionAuditEntrySchema, decisionSchema, decisionScopeSchema, decisionStatusSchema, policySchema,
} from '@vigil/contracts';
import { z } from 'zod';

const statusList = z.string().transform((s) => s.split(',').map((x) => x.trim()).filter((x) => x !== '')).pipe(z.array(decisionStatusSchema).min(1));
const isoTime = z.iso.datetime({ offset: true });

export const listDecisionsQuerySchema = z.object({
  status: statusList.optional(),
  action: decisionActionSchema.optional(),
  scope: decisionScopeSchema.optional(),
  value: z.string().min(1).max(256).optional(),
  /** Created at or after / before (ISO 8601). */
  from: isoTime.optional(),
  to: isoTime.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
}).strict();
export type ListDecisionsQuery = z.infer<typeof listDecisionsQuerySchema>;

export const decisionPageSchema = z.object({
  items: z.array(decisionSchema),
  limit: z.number().int(),
  offset: z.number().int(),
  /** Pass as `offset` for the next page; null on the last one. */
  nextOffset: z.number().int().nullable(),
});
export type DecisionPage = z.infer<typeof decisionPageSchema>;

export const decisionWithAuditSchema = z.object({ decision: decisionSchema, audit: z.array(decisionAuditEntrySchema) });

export const createDecisionBodySchema = z.object({
  scope: z.enum(['ip', 'range']).optional(),
  value: z.string().min(1).max(64),
  action: decisionActionSchema.default('ban'),
  durationSeconds: z.number().int().min(1).max(365 * 24 * 3600),
  origin: z.enum(['manual', 'api']).default('api'),
  reason: z.string().max(1000).default(''),
}).strict();

export const reasonBodySchema = z.object({ reason: z.string().max(1000).default('') }).strict();
export const decisionIdPathSchema = z.uuid();

export const simulationSchema = z.object({ enabled: z.boolean(), reason: z.string().nullable().optional(), updatedAt: z.string().nullable().optional(), updatedBy: z.string().nullable().optional() });
export const setSimulationBodySchema = z.object({ enabled: z.boolean(), reason: z.string().max(1000).default('') }).strict();

export const addAllowlistBodySchema = allowlistEntrySchema.strict();
export const cidrQuerySchema = z.object({ cidr: z.string().min(1).max(64) }).strict();
export const policyKeyQuerySchema = z.object({ contract: policySchema.shape.contract, attackClass: z.string().min(1).max(128) }).strict();
export { policySchema };
