import { type Role } from '../api/api.types';

const RANK: Record<Role, number> = { bouncer: 0, viewer: 1, operator: 2, admin: 3 };

/** What the dashboard lets a role try; the gateway still decides (each route's x-vigil-role). */
export const ACTIONS = {
  view: 'viewer',
  upload: 'operator',
  manageDecisions: 'operator',
  editAllowlist: 'admin',
  switchSimulation: 'admin',
  manageModels: 'admin',
} as const satisfies Record<string, Role>;
export type Action = keyof typeof ACTIONS;

/** True when `role` may do `action`: a viewer sees no button it cannot use. Bouncer keys read only the decision stream. */
export function can(role: Role | null | undefined, action: Action): boolean {
  if (!role || role === 'bouncer') return false;
  return RANK[role] >= RANK[ACTIONS[action]];
}
