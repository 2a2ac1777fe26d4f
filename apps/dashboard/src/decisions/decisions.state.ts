import { type Decision, type Role } from '../api/api.types';
import { can } from '../auth/role.gate';

export type DecisionTab = 'active' | 'pending' | 'simulated' | 'history';
export const DECISION_TABS: readonly { tab: DecisionTab; label: string; statuses: Decision['status'][] }[] = [
  { tab: 'active', label: 'Active', statuses: ['active', 'failed'] },
  { tab: 'pending', label: 'Pending approval', statuses: ['pending-approval'] },
  { tab: 'simulated', label: 'Simulated', statuses: ['simulated'] },
  { tab: 'history', label: 'History', statuses: ['expired', 'revoked'] },
];

export type DecisionCommand = 'approve' | 'reject' | 'revoke';

/** The buttons a decision shows: what its status allows (docs/self-healing.md) and the role may do. */
export function decisionCommands(d: Pick<Decision, 'status'>, role: Role | null): DecisionCommand[] {
  if (!can(role, 'manageDecisions')) return [];
  switch (d.status) {
    case 'pending-approval':
      return ['approve', 'reject'];
    case 'active':
    case 'simulated':
    case 'failed':
      return ['revoke'];
    case 'expired':
    case 'revoked':
      return [];
  }
}

/** A decision event from the live feed replaces the older copy in a list (by id, higher version wins). */
export function mergeDecision(list: readonly Decision[], incoming: Decision, statuses: readonly Decision['status'][]): Decision[] {
  const current = list.find((d) => d.id === incoming.id);
  if (current && current.version >= incoming.version) return list.slice();
  const rest = list.filter((d) => d.id !== incoming.id);
  return statuses.includes(incoming.status) ? [incoming, ...rest].sort((a, b) => b.createdAt.localeCompare(a.createdAt)) : rest;
}

/** The decision inside a live `decisions` event (`{event: 'decision', decision}`), if it is one. */
export function decisionOfEvent(data: unknown): Decision | null {
  const e = data as { event?: string; decision?: Decision } | null;
  return e && e.event === 'decision' && e.decision ? e.decision : null;
}

export interface ManualBanForm { value: string; action: 'ban' | 'throttle' | 'alert'; duration: string; reason: string }

/** A CIDR or address the way the form accepts it (the server validates for real). */
export function looksLikeNetwork(text: string): boolean {
  const t = text.trim();
  const v4 = /^(\d{1,3})(\.\d{1,3}){3}(\/\d{1,2})?$/.test(t) && t.split('/')[0].split('.').every((o) => Number(o) <= 255);
  const v6 = /^[0-9a-f:]+(\/\d{1,3})?$/i.test(t) && t.includes(':');
  return v4 || v6;
}
