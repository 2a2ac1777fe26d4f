import { type Decision, type DecisionAuditEntry } from '@vigil/contracts';
import { type DecisionsRequest } from './decisions.transport';

interface Simulation { enabled: boolean; reason: string; updatedAt: string; updatedBy: string }
interface AllowlistEntry { cidr: string; source: string; note: string }

function table(rows: readonly string[][]): string {
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((r) => (r[col] ?? '').length)));
  return `${rows.map((r) => r.map((cell, col) => (col === r.length - 1 ? cell : cell.padEnd(widths[col]!))).join('  ')).join('\n')}\n`;
}

function why(d: Decision): string {
  return [d.reason.attackClass, d.reason.confidence < 1 ? `${Math.round(d.reason.confidence * 100)}%` : '', d.reason.note ?? ''].filter((s) => s !== '').join(' ');
}

export function decisionLine(d: Decision): string {
  return `${d.id}  ${d.status}  ${d.action} ${d.value}  until ${d.expiresAt}${d.lastError ? `  error: ${d.lastError}` : ''}\n`;
}

function decisionTable(decisions: readonly Decision[]): string {
  if (decisions.length === 0) return 'no decisions\n';
  return table([['ID', 'STATUS', 'ACTION', 'VALUE', 'EXPIRES', 'ORIGIN', 'REASON'], ...decisions.map((d) => [d.id, d.status, d.action, d.value, d.expiresAt, d.origin, why(d)])]);
}

function detail(answer: { decision: Decision; audit: DecisionAuditEntry[] }): string {
  const d = answer.decision;
  const lines = [
    `decision ${d.id} (version ${d.version})`,
    `  ${d.action} ${d.scope} ${d.value}: ${d.status}, origin ${d.origin}`,
    `  created ${d.createdAt}, expires ${d.expiresAt} (${d.durationSeconds} s, escalation level ${d.escalationLevel})`,
    `  reason: ${why(d)}${d.reason.modelVersion ? ` (models ${d.reason.modelVersion})` : ''}${d.reason.evidenceCount === undefined ? '' : `, ${d.reason.evidenceCount} threats`}`,
    ...(d.lastError ? [`  last error: ${d.lastError}`] : []),
    ...(d.flowIds.length > 0 ? [`  flows: ${d.flowIds.slice(-5).join(', ')}${d.flowIds.length > 5 ? ` (+${d.flowIds.length - 5})` : ''}`] : []),
    'audit:',
  ];
  const audit = answer.audit.map((a) => [`  ${a.at}`, `${a.fromStatus ?? '-'} -> ${a.toStatus}`, a.actor, a.reason]);
  return `${lines.join('\n')}\n${audit.length > 0 ? table(audit) : ''}`;
}

/** Human output of one answer; `--json` prints the answer itself instead. */
export function formatAnswer(name: DecisionsRequest, answer: unknown): string {
  switch (name) {
    case 'listDecisions':
      return decisionTable(answer as Decision[]);
    case 'getDecision':
      return detail(answer as { decision: Decision; audit: DecisionAuditEntry[] });
    case 'getSimulation':
    case 'setSimulation': {
      const s = answer as Simulation;
      return `simulation ${s.enabled ? 'on' : 'off'} (since ${s.updatedAt}, by ${s.updatedBy}${s.reason ? `: ${s.reason}` : ''})\n`;
    }
    case 'listAllowlist':
      return table([['CIDR', 'SOURCE', 'NOTE'], ...(answer as AllowlistEntry[]).map((e) => [e.cidr, e.source, e.note])]);
    case 'addAllowlist': {
      const { entry, revoked } = answer as { entry: AllowlistEntry; revoked: Decision[] };
      return `allowlisted ${entry.cidr}${revoked.length > 0 ? `; revoked ${revoked.length} open decision(s) on it:\n${revoked.map(decisionLine).join('')}` : '\n'}`;
    }
    case 'removeAllowlist':
      return (answer as { removed: boolean }).removed ? 'removed\n' : 'not in the stored allowlist\n';
    case 'createDecision':
    case 'approveDecision':
    case 'rejectDecision':
    case 'revokeDecision':
      return decisionLine(answer as Decision);
    case 'listPolicies':
    case 'upsertPolicy':
    case 'deletePolicy':
    case 'detectorHealth':
    case 'decisionStream':
      return `${JSON.stringify(answer, null, 2)}\n`;
  }
}
