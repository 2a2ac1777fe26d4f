import { type Decision } from '../api/api.types';
import { decisionCommands, decisionOfEvent, looksLikeNetwork, mergeDecision } from './decisions.state';

const decision = (over: Partial<Decision>): Decision => ({
  id: 'd1', version: 1, scope: 'ip', value: '203.0.113.9', action: 'ban', origin: 'manual', status: 'active', reason: { attackClass: 'manual', confidence: 1 },
  durationSeconds: 3600, escalationLevel: 0, createdAt: '2025-01-01T00:00:00.000Z', updatedAt: '2025-01-01T00:00:00.000Z', expiresAt: '2025-01-01T01:00:00.000Z', flowIds: [], alertIds: [], ...over,
});

describe('decision commands and live merging', () => {
  it('offers what the status allows, and nothing to a viewer', () => {
    const statuses: Decision['status'][] = ['active', 'pending-approval', 'simulated', 'failed', 'expired', 'revoked'];
    expect(statuses.map((status) => decisionCommands({ status }, 'operator'))).toEqual([['revoke'], ['approve', 'reject'], ['revoke'], ['revoke'], [], []]);
    expect(statuses.flatMap((status) => decisionCommands({ status }, 'viewer'))).toEqual([]);
  });

  it('a live event replaces the older copy, leaves the list when its status no longer belongs, and never goes back a version', () => {
    const list = [decision({ id: 'a', createdAt: '2025-01-01T00:00:01.000Z' }), decision({ id: 'b' })];
    expect(mergeDecision(list, decision({ id: 'a', version: 2, status: 'revoked' }), ['active']).map((d) => d.id)).toEqual(['b']);
    expect(mergeDecision(list, decision({ id: 'a', version: 1, status: 'revoked' }), ['active'])).toEqual(list);
    expect(mergeDecision(list, decision({ id: 'c', createdAt: '2025-01-02T00:00:00.000Z' }), ['active']).map((d) => d.id)).toEqual(['c', 'a', 'b']);
  });

  it('reads decisions out of live events and checks addresses before the form sends them', () => {
    expect(decisionOfEvent({ event: 'decision', change: 'created', decision: decision({}) })?.id).toBe('d1');
    expect(decisionOfEvent({ event: 'safety-alert', code: 'SELF_HEALING.CEILING_TRIPPED' })).toBeNull();
    expect(['203.0.113.9', '10.0.0.0/8', '2001:db8::/64', '256.1.1.1', 'example.com', ''].map(looksLikeNetwork)).toEqual([true, true, true, false, false, false]);
  });
});
