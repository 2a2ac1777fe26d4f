import { z } from 'zod';
import { contractIdSchema } from './flow-batch.schemas';
import { DECISION_KINDS } from './messaging.subjects';

/**
 * Self-healing decisions on the wire (ARCHITECTURE.md §4): the events self-healing publishes on
 * `decisions.<action>` and the request/reply commands the gateway and CLI send it.
 */
export const DECISION_SCOPES = ['ip', 'range', 'pod'] as const;
export const DECISION_ORIGINS = ['auto', 'manual', 'api'] as const;
export const DECISION_STATUSES = ['simulated', 'pending-approval', 'active', 'expired', 'revoked', 'failed'] as const;
/** Statuses of a decision that is still in force or may become so; at most one per value. */
export const OPEN_DECISION_STATUSES = ['simulated', 'pending-approval', 'active', 'failed'] as const;

export type DecisionScope = (typeof DECISION_SCOPES)[number];
export type DecisionOrigin = (typeof DECISION_ORIGINS)[number];
export type DecisionStatus = (typeof DECISION_STATUSES)[number];

export const decisionActionSchema = z.enum(DECISION_KINDS);
export const decisionScopeSchema = z.enum(DECISION_SCOPES);
export const decisionOriginSchema = z.enum(DECISION_ORIGINS);
export const decisionStatusSchema = z.enum(DECISION_STATUSES);

export const decisionReasonSchema = z.object({
  contract: contractIdSchema.optional(),
  attackClass: z.string().min(1).max(128),
  confidence: z.number().min(0).max(1),
  modelVersion: z.string().max(200).optional(),
  topFeatures: z.array(z.object({ name: z.string(), weight: z.number() })).max(32).optional(),
  /** Threats from this source inside the policy window when the decision was taken. */
  evidenceCount: z.number().int().nonnegative().optional(),
  note: z.string().max(1000).optional(),
});
export type DecisionReason = z.infer<typeof decisionReasonSchema>;

const isoTime = z.iso.datetime({ offset: true });

export const decisionSchema = z.object({
  id: z.uuid(),
  /** Bumped on every change; `<id>:<version>` is the event's Nats-Msg-Id. */
  version: z.number().int().positive(),
  scope: decisionScopeSchema,
  value: z.string().min(1).max(256),
  action: decisionActionSchema,
  origin: decisionOriginSchema,
  status: decisionStatusSchema,
  reason: decisionReasonSchema,
  durationSeconds: z.number().int().positive(),
  escalationLevel: z.number().int().nonnegative(),
  createdAt: isoTime,
  updatedAt: isoTime,
  expiresAt: isoTime,
  flowIds: z.array(z.string()),
  alertIds: z.array(z.string()),
  lastError: z.string().optional(),
});
export type Decision = z.infer<typeof decisionSchema>;

export const decisionAuditEntrySchema = z.object({
  at: isoTime,
  fromStatus: decisionStatusSchema.nullable(),
  toStatus: decisionStatusSchema,
  actor: z.string(),
  reason: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type DecisionAuditEntry = z.infer<typeof decisionAuditEntrySchema>;

export const SAFETY_ALERT_CODES = [
  'SELF_HEALING.CEILING_TRIPPED',
  'SELF_HEALING.DETECTOR_OUTAGE',
  'SELF_HEALING.DETECTOR_RECOVERED',
  'SELF_HEALING.EXECUTOR_FAILED',
  'SELF_HEALING.ALLOWLISTED_SOURCE',
] as const;

/** One message on `decisions.<action>`; safety alerts travel on `decisions.alert`. */
export const decisionEventSchema = z.discriminatedUnion('event', [
  z.object({
    event: z.literal('decision'),
    change: z.enum(['created', 'extended', 'status-changed']),
    decision: decisionSchema,
    audit: decisionAuditEntrySchema.optional(),
  }),
  z.object({
    event: z.literal('safety-alert'),
    code: z.enum(SAFETY_ALERT_CODES),
    message: z.string(),
    at: isoTime,
    details: z.record(z.string(), z.unknown()),
  }),
]);
export type DecisionEvent = z.infer<typeof decisionEventSchema>;

export const PAYLOAD_TYPE_DECISION_EVENT = 'decision-event.v1';

// ---- Commands (core NATS request/reply; replies are `{data}` or `{error}` per @vigil/messaging) ----

export const SELF_HEALING_REQUESTS = {
  listDecisions: 'self-healing.decisions.list',
  getDecision: 'self-healing.decisions.get',
  createDecision: 'self-healing.decisions.create',
  approveDecision: 'self-healing.decisions.approve',
  rejectDecision: 'self-healing.decisions.reject',
  revokeDecision: 'self-healing.decisions.revoke',
  getSimulation: 'self-healing.simulation.get',
  setSimulation: 'self-healing.simulation.set',
  listAllowlist: 'self-healing.allowlist.list',
  addAllowlist: 'self-healing.allowlist.add',
  removeAllowlist: 'self-healing.allowlist.remove',
  listPolicies: 'self-healing.policies.list',
  upsertPolicy: 'self-healing.policies.upsert',
  deletePolicy: 'self-healing.policies.delete',
  detectorHealth: 'self-healing.detector.health',
  decisionStream: 'self-healing.decisions.stream',
} as const;

/** Who asks, for the audit trail (the gateway passes its authenticated user). */
const actor = z.string().min(1).max(200);
const why = z.string().max(1000).default('');

export const listDecisionsRequestSchema = z.object({
  status: z.array(decisionStatusSchema).optional(),
  action: decisionActionSchema.optional(),
  value: z.string().max(256).optional(),
  limit: z.number().int().min(1).max(1000).default(100),
  offset: z.number().int().min(0).default(0),
});
export const decisionIdRequestSchema = z.object({ id: z.uuid() });
export const decisionTransitionRequestSchema = z.object({ id: z.uuid(), actor, reason: why });
/**
 * A manual decision. `value` is an address or CIDR for `ip`/`range` (at most 64 characters), or
 * for `pod` a Kubernetes label selector `key=value[,key=value]` (at most 256; self-healing checks
 * the label syntax and refuses an empty selector, which would isolate the whole namespace).
 */
export const createDecisionRequestSchema = z.object({
  scope: decisionScopeSchema,
  value: z.string().min(1).max(256),
  action: decisionActionSchema,
  durationSeconds: z.number().int().min(1).max(365 * 24 * 3600),
  origin: z.enum(['manual', 'api']).default('manual'),
  actor,
  reason: why,
}).refine((r) => r.scope === 'pod' || r.value.length <= 64, { path: ['value'], message: 'an ip or range value has at most 64 characters' });
export const setSimulationRequestSchema = z.object({ enabled: z.boolean(), actor, reason: why });
export const allowlistEntrySchema = z.object({ cidr: z.string().min(1).max(64), note: z.string().max(500).default('') });
export const addAllowlistRequestSchema = allowlistEntrySchema.extend({ actor });
export const removeAllowlistRequestSchema = z.object({ cidr: z.string().min(1).max(64), actor });

export const policySchema = z.object({
  contract: z.union([contractIdSchema, z.literal('*')]),
  /** A canonical label, a label family, or `*`; the most specific match wins. */
  attackClass: z.string().min(1).max(128),
  action: decisionActionSchema,
  minConfidence: z.number().min(0).max(1),
  evidenceCount: z.number().int().min(1).max(100_000),
  evidenceWindowSeconds: z.number().int().min(1).max(7 * 24 * 3600),
  durationSeconds: z.number().int().min(1).max(365 * 24 * 3600),
  escalationFactor: z.number().min(1).max(100),
  maxDurationSeconds: z.number().int().min(1).max(365 * 24 * 3600),
  requiresApproval: z.boolean(),
  enabled: z.boolean().default(true),
});
export type Policy = z.infer<typeof policySchema>;
export const upsertPolicyRequestSchema = z.object({ policy: policySchema, actor });
export const deletePolicyRequestSchema = z.object({ contract: policySchema.shape.contract, attackClass: z.string().min(1), actor });
export const detectorHealthRequestSchema = z.object({ healthy: z.boolean(), source: z.string().min(1).max(200), reason: why });
/** CrowdSec `/v1/decisions/stream` shape; `since` is the cursor the previous reply returned. */
export const decisionStreamRequestSchema = z.object({ startup: z.boolean().default(false), since: isoTime.optional() });
