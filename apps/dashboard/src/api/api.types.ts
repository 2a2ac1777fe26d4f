// The answers the dashboard reads, as the gateway documents them (docs/api.md, docs/self-healing.md,
// docs/model-registry.md). Type-only imports: nothing of @vigil/contracts enters the browser bundle.
import type { Decision, DecisionAuditEntry, ModelAliases, ModelVersionInfo, RolloutReport } from '@vigil/contracts';

export type { Decision, DecisionAuditEntry, ModelAliases, ModelVersionInfo };
export type Role = 'viewer' | 'operator' | 'admin' | 'bouncer';

export interface WhoAmI { keyId: string; name: string; role: Role }

export interface StatsPoint { minute: string; contract: string; metric: 'flows' | 'flagged' | 'threats'; class: string; model: string; count: number }
export interface Stats {
  from: string;
  to: string;
  series: StatsPoint[];
  totals: { flows: number; flagged: number; threats: number; detectionRate: number | null; byClass: Record<string, number>; byModel: Record<string, number> };
}

export interface ModelOutput { name: string; version: string; probability: number }
export interface ExplanationTerm { feature: string; value: number | null; contribution: number }
export interface Alert {
  id: string;
  at: string;
  contract: string;
  sensor: string;
  jobId: string | null;
  sourceIp: string | null;
  destinationIp: string | null;
  sourcePort: number | null;
  destinationPort: number | null;
  protocol: string | null;
  attackClass: string;
  confidence: number;
  top: { class: string; probability: number }[];
  detector: ModelOutput;
  classifier: ModelOutput;
  envelope: Record<string, unknown>;
  /** The flow's feature values in contract order (alert detail only; null once pruned). */
  features?: Record<string, number | string | null> | null;
  /** The classifier's top contributing features; null when it sent none. */
  explanation: { method: string; target: string; expectedValue: number; top: ExplanationTerm[] } | null;
  ingestedAt: string;
  detectedAt: string;
}
export interface AlertPage { items: Alert[]; nextCursor: string | null }

export interface RowError { row: number; field: string | null; code: string; reason: string }
export type JobState = 'receiving' | 'ingesting' | 'scoring' | 'completed' | 'failed' | 'duplicate';
export interface Job {
  id: string;
  state: JobState;
  duplicate: boolean;
  fileName: string | null;
  bytes: number;
  contract: string | null;
  variant: string | null;
  createdAt: string;
  finishedAt: string | null;
  chunks: { total: number | null; published: number; processed: number };
  rows: { read: number; accepted: number; duplicates: number; rejected: number };
  predictions: { flows: number; threats: number };
  progress: number;
  throughputRowsPerSecond: number | null;
  errors: RowError[];
  errorsUrl: string;
  resultsUrl: string;
  error: { code: string; message: string } | null;
}

export interface ServiceHealth { service: string; url: string | null; ready: boolean; checks?: Record<string, unknown>; error?: string; latencyMs: number | null }
export interface ConsumerLag { stream: string; consumer: string; pending: number; ackPending: number; redelivered: number }
export interface ServicesHealth { at: string; services: ServiceHealth[]; consumers: ConsumerLag[]; natsConnected: boolean }

export interface DecisionPage { items: Decision[]; limit: number; offset: number; nextOffset: number | null }
export interface SimulationState { enabled: boolean; reason?: string | null; updatedAt?: string | null; updatedBy?: string | null }
export interface AllowlistEntry { cidr: string; note?: string; source?: string; createdAt?: string; createdBy?: string }

export interface ModelSummary { name: string; task: 'detect' | 'classify'; contract: { id: string; version: number } | string; latestVersion: number; versions: number; createdAt: string; aliases: ModelAliases }
export interface AliasRollout { target?: number; canaryShare?: number; serving: Record<string, number>; onTarget: number }
export interface ModelRollout {
  name: string;
  replicas: number;
  aliases: Record<'production' | 'canary' | 'shadow', AliasRollout>;
  failures: { replica: string; version: number; reason: string }[];
  loading: { replica: string; version: number }[];
  shadowAgreement?: { rows: number; agreed: number; rate: number };
}
export interface RolloutStatus {
  at: string;
  replicas: { replica: string; service: string; lastSeen: string; models: RolloutReport['models'] }[];
  models: ModelRollout[];
}
