import { type Policy } from '@vigil/contracts';
import { LOOPBACK_NETWORKS } from '../safety/allowlist.defaults';
import { type ThreatEvidence } from '../safety/threat-evidence';
import { PolicySet, layerPolicies } from '../policy/policy.set';
import { defaultPolicies } from '../policy/policy.defaults';
import { DecisionSimulator } from './decision.simulator';

// SSH-Patator resolves to the shipped BruteForce tuning: ban at >= 0.85 after 5 threats in 5 minutes, 1 h doubling to 7 days.
const T0 = Date.parse('2017-07-04T17:00:00Z');
const MIN = 60_000;
const ssh = (srcIp: string, probability = 0.97): ThreatEvidence => ({ contract: 'cicflowmeter', flowId: 'f', srcIp, attackClass: 'SSH-Patator', probability, modelVersion: 'det@1+cls@1' });

function simulator(over: { allowlist?: string[]; policies?: Policy[]; simulation?: boolean } = {}): DecisionSimulator {
  return new DecisionSimulator({
    policies: new PolicySet(layerPolicies(defaultPolicies(), over.policies ?? [])),
    allowlist: over.allowlist ?? LOOPBACK_NETWORKS,
    ...(over.simulation === undefined ? {} : { safety: { simulation: over.simulation } }),
  });
}

describe('DecisionSimulator', () => {
  it('takes a simulated ban once the policy threshold is met inside the window, with the reason', () => {
    const sim = simulator();
    const kinds = [0, 1, 2, 3, 4].map((i) => sim.observe(ssh('203.0.113.9'), T0 + i * MIN));
    expect(kinds).toEqual(['skip', 'skip', 'skip', 'skip', 'create']);
    expect(sim.decisions).toEqual([expect.objectContaining({
      scope: 'ip', value: '203.0.113.9', action: 'ban', status: 'simulated', durationSeconds: 3600, escalationLevel: 0,
      createdAt: new Date(T0 + 4 * MIN), expiresAt: new Date(T0 + 4 * MIN + 3600_000),
      reason: expect.objectContaining({ contract: 'cicflowmeter', attackClass: 'SSH-Patator', confidence: 0.97, modelVersion: 'det@1+cls@1', evidenceCount: 5 }),
    })]);
    expect(sim.byAction).toEqual({ ban: 1 });
  });

  it('lets threats age out of the window and ignores low confidence', () => {
    const sim = simulator();
    for (const i of [0, 2, 4, 6, 8, 10, 12]) sim.observe(ssh('203.0.113.9'), T0 + i * MIN);
    for (let i = 0; i < 10; i++) sim.observe(ssh('198.51.100.7', 0.5), T0 + i);
    expect(sim.decisions).toHaveLength(0);
  });

  it('extends the open decision on duplicate evidence instead of taking a second one', () => {
    const sim = simulator();
    for (let i = 0; i < 12; i++) sim.observe(ssh('203.0.113.9'), T0 + i * 1000);
    expect(sim.decisions).toHaveLength(1);
    expect(sim.decisions[0]).toMatchObject({ extensions: 7, expiresAt: new Date(T0 + 11_000 + 3600_000) });
  });

  it('escalates a repeat offender after the first decision expired', () => {
    const sim = simulator();
    for (let i = 0; i < 5; i++) sim.observe(ssh('203.0.113.9'), T0 + i);
    for (let i = 0; i < 5; i++) sim.observe(ssh('203.0.113.9'), T0 + 2 * 3600_000 + i);
    expect(sim.decisions.map((d) => [d.escalationLevel, d.durationSeconds])).toEqual([[0, 3600], [1, 7200]]);
  });

  it('gives an allowlisted source an alert only (loopback by default, or a configured network)', () => {
    const sim = simulator({ allowlist: [...LOOPBACK_NETWORKS, '192.168.10.0/24'] });
    for (let i = 0; i < 5; i++) {
      sim.observe(ssh('127.0.0.1'), T0 + i);
      sim.observe(ssh('192.168.10.8'), T0 + i);
    }
    expect(sim.decisions.map((d) => [d.value, d.action, d.status])).toEqual([['127.0.0.1', 'alert', 'active'], ['192.168.10.8', 'alert', 'active']]);
    expect(sim.decisions[0].reason.note).toContain('allowlisted');
    expect(sim.allowlistedDecisions).toBe(2);
  });

  it('acts on IPv6 sources as their /64, so neighbours add up', () => {
    const sim = simulator();
    for (let i = 0; i < 5; i++) sim.observe(ssh(`2001:db8:1:2::${i + 1}`), T0 + i);
    expect(sim.decisions).toEqual([expect.objectContaining({ scope: 'range', value: '2001:db8:1:2::/64' })]);
  });

  it('never runs the clock backwards: an older flow counts at the latest time seen', () => {
    const sim = simulator();
    sim.observe(ssh('203.0.113.9'), T0 + 60 * MIN);
    for (let i = 0; i < 4; i++) sim.observe(ssh('203.0.113.9'), T0 + i);
    expect(sim.decisions[0]).toMatchObject({ createdAt: new Date(T0 + 60 * MIN) });
  });

  it('with simulation off, holds approval policies and trips the per-minute ceiling into simulation', () => {
    const bot: ThreatEvidence = { ...ssh('192.0.2.1'), attackClass: 'Bot' };
    const sim = simulator({ simulation: false });
    for (let i = 0; i < 3; i++) sim.observe(bot, T0 + i);
    expect(sim.decisions[0]).toMatchObject({ action: 'ban', status: 'pending-approval', requiresApproval: true });
    for (let s = 0; s < 21; s++) for (let i = 0; i < 5; i++) sim.observe(ssh(`203.0.113.${s + 1}`), T0 + 10 + i);
    const statuses = sim.decisions.slice(1).map((d) => d.status);
    expect(statuses.slice(0, 20).every((s) => s === 'active')).toBe(true);
    expect(statuses[20]).toBe('simulated');
    expect(sim.ceilingTrips).toBe(1);
    expect(sim.simulationOn).toBe(true);
  });
});
