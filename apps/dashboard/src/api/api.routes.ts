// Every gateway path the dashboard calls, in one place (docs/api.md; the decision and model
// routes follow docs/self-healing.md and docs/model-registry.md as the gateway maps them).
const enc = encodeURIComponent;

export const API = {
  whoami: '/api/v1/auth/whoami',
  servicesHealth: '/api/v1/health/services',
  stats: '/api/v1/predictions/stats',
  alerts: '/api/v1/alerts',
  alert: (id: string) => `/api/v1/alerts/${enc(id)}`,
  upload: (fileName: string) => `/api/v1/upload/csv?filename=${enc(fileName)}`,
  job: (id: string) => `/api/v1/jobs/${enc(id)}`,
  jobErrors: (id: string) => `/api/v1/jobs/${enc(id)}/errors`,
  jobResults: (id: string) => `/api/v1/jobs/${enc(id)}/results.csv`,
  decisions: '/api/v1/decisions',
  decision: (id: string) => `/api/v1/decisions/${enc(id)}`,
  decisionAction: (id: string, action: 'approve' | 'reject' | 'revoke') => `/api/v1/decisions/${enc(id)}/${action}`,
  simulation: '/api/v1/simulation',
  allowlist: '/api/v1/allowlist',
  models: '/api/v1/models',
  modelVersions: (name: string) => `/api/v1/models/${enc(name)}/versions`,
  modelAlias: (name: string, alias: string) => `/api/v1/models/${enc(name)}/aliases/${enc(alias)}`,
  modelRollback: (name: string, alias: string) => `/api/v1/models/${enc(name)}/aliases/${enc(alias)}/rollback`,
  rollout: (name: string) => `/api/v1/models/${enc(name)}/rollout`,
  ws: '/ws',
} as const;
