import { type Policy } from '@vigil/contracts';
import { actionableNetwork, parseIpNetwork } from '../network/ip-network.parser';
import { escalatedDuration, evaluateThreat, type EvaluationInput, type OpenDecisionView } from './safety.engine';

const now = new Date('2025-03-01T12:00:00Z');
const policy: Policy = {
  contract: 'cicflowmeter', attackClass: 'SSH-Patator', action: 'ban', minConfidence: 0.8, evidenceCount: 3,
  evidenceWindowSeconds: 60, durationSeconds: 600, escalationFactor: 2, maxDurationSeconds: 3000, requiresApproval: false, enabled: true,
};

function input(over: Partial<EvaluationInput> = {}): EvaluationInput {
  return {
    evidence: { contract: 'cicflowmeter', flowId: 'f1', srcIp: '203.0.113.9', attackClass: 'SSH-Patator', probability: 0.95, modelVersion: 'cls@3' },
    policy,
    target: parseIpNetwork('203.0.113.9'),
    allowlisted: false,
    evidenceCount: 3,
    existing: undefined,
    priorOffences: 0,
    safety: { simulation: false, detectorHealthy: true, newActiveLastMinute: 0, ceilingPerMinute: 10 },
    now,
    ...over,
  };
}

const safety = (over: Partial<EvaluationInput['safety']>): EvaluationInput['safety'] => ({ ...input().safety, ...over });

describe('evaluateThreat', () => {
  it('bans a source once the evidence threshold is met, with an expiry and the reason', () => {
    const verdict = evaluateThreat(input());
    expect(verdict).toMatchObject({
      kind: 'create',
      tripsCeiling: false,
      plan: {
        scope: 'ip', value: '203.0.113.9', action: 'ban', status: 'active', durationSeconds: 600,
        expiresAt: new Date('2025-03-01T12:10:00Z'),
        reason: { contract: 'cicflowmeter', attackClass: 'SSH-Patator', confidence: 0.95, modelVersion: 'cls@3', evidenceCount: 3 },
      },
    });
  });

  it('carries the explanation\'s top features into the reason', () => {
    const topFeatures = [{ name: 'Flow Duration', weight: 0.4 }, { name: 'Dst Port', weight: -0.1 }];
    const verdict = evaluateThreat(input({ evidence: { ...input().evidence, topFeatures } }));
    expect(verdict).toMatchObject({ kind: 'create', plan: { reason: { topFeatures } } });
    expect(evaluateThreat(input())).toMatchObject({ plan: { reason: expect.not.objectContaining({ topFeatures: expect.anything() }) } });
  });

  it('waits for N threats in the window and ignores low confidence, no policy and sources without an IP', () => {
    expect(evaluateThreat(input({ evidenceCount: 2 }))).toEqual({ kind: 'skip', why: 'insufficient-evidence' });
    expect(evaluateThreat(input({ evidence: { ...input().evidence, probability: 0.79 } }))).toEqual({ kind: 'skip', why: 'below-confidence' });
    expect(evaluateThreat(input({ policy: undefined }))).toEqual({ kind: 'skip', why: 'no-policy' });
    expect(evaluateThreat(input({ target: undefined }))).toEqual({ kind: 'skip', why: 'no-source-ip' });
  });

  it('never acts on an allowlisted source: an alert-only record instead, even with simulation off', () => {
    const verdict = evaluateThreat(input({ allowlisted: true }));
    expect(verdict).toMatchObject({ kind: 'create', allowlisted: true, plan: { action: 'alert', status: 'active', reason: { note: expect.stringContaining('allowlisted') } } });
  });

  it('only simulates while simulation mode is on', () => {
    expect(evaluateThreat(input({ safety: safety({ simulation: true }) }))).toMatchObject({ plan: { action: 'ban', status: 'simulated' } });
  });

  it('trips to simulation when the per-minute ceiling is reached', () => {
    const verdict = evaluateThreat(input({ safety: safety({ newActiveLastMinute: 10 }) }));
    expect(verdict).toMatchObject({ kind: 'create', tripsCeiling: true, plan: { status: 'simulated', statusReason: expect.stringContaining('ceiling') } });
    expect(evaluateThreat(input({ safety: safety({ newActiveLastMinute: 9 }) }))).toMatchObject({ tripsCeiling: false, plan: { status: 'active' } });
  });

  it('makes no new ban during a detector outage', () => {
    expect(evaluateThreat(input({ safety: safety({ detectorHealthy: false }) }))).toMatchObject({ plan: { status: 'simulated', statusReason: expect.stringContaining('detector') } });
  });

  it('holds decisions of approval policies as pending-approval', () => {
    expect(evaluateThreat(input({ policy: { ...policy, requiresApproval: true } }))).toMatchObject({ plan: { status: 'pending-approval' } });
  });

  it('acts on an IPv6 source as its /64 range', () => {
    const target = actionableNetwork(parseIpNetwork('2001:db8:5:6:aaaa:bbbb:cccc:dddd'));
    expect(evaluateThreat(input({ target }))).toMatchObject({ plan: { scope: 'range', value: '2001:db8:5:6::/64' } });
  });

  it('escalates repeat offenders by the factor, up to the cap', () => {
    expect([0, 1, 2, 3, 4].map((level) => escalatedDuration(policy, level))).toEqual([600, 1200, 2400, 3000, 3000]);
    expect(evaluateThreat(input({ priorOffences: 2 }))).toMatchObject({ plan: { durationSeconds: 2400, escalationLevel: 2 } });
  });

  describe('with an open decision on the same value', () => {
    const existing: OpenDecisionView = { id: 'd1', status: 'active', action: 'throttle', expiresAt: new Date('2025-03-01T12:05:00Z'), durationSeconds: 600 };

    it('extends it instead of creating a second, hardening throttle to ban', () => {
      expect(evaluateThreat(input({ existing }))).toEqual({
        kind: 'extend', decisionId: 'd1', expiresAt: new Date('2025-03-01T12:10:00Z'), action: 'ban', promoteToActive: false, tripsCeiling: false,
      });
    });

    it('never shortens it', () => {
      const later = { ...existing, expiresAt: new Date('2025-03-01T13:00:00Z') };
      expect(evaluateThreat(input({ existing: later }))).toMatchObject({ expiresAt: later.expiresAt });
    });

    it('promotes a simulated one once enforcement is allowed, but never an alert-only one', () => {
      expect(evaluateThreat(input({ existing: { ...existing, status: 'simulated' } }))).toMatchObject({ promoteToActive: true });
      expect(evaluateThreat(input({ existing: { ...existing, status: 'simulated' }, safety: safety({ simulation: true }) }))).toMatchObject({ promoteToActive: false });
      expect(evaluateThreat(input({ existing: { ...existing, action: 'alert' } }))).toMatchObject({ action: 'alert', promoteToActive: false });
    });
  });
});
