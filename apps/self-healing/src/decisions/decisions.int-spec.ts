import { type Decision, type Policy } from '@vigil/contracts';
import { expectEventually } from '@vigil/testing';
import { realAttackRows, startHarness, type Harness } from '../testing/self-healing.fixture';

type Detail = { decision: Decision; audit: { fromStatus: string | null; toStatus: string; actor: string; reason: string }[] };

describe('self-healing against real NATS and Postgres', () => {
  let h: Harness;
  let ssh: { flowId: string; srcIp: string }[];
  let botnet: { flowId: string; srcIp: string }[];

  beforeAll(async () => {
    ssh = await realAttackRows('SSH-Patator');
    botnet = await realAttackRows('Bot');
    h = await startHarness({ SELF_HEALING_CEILING_PER_MINUTE: '2' });
  });
  afterAll(() => h?.close());

  const sshThreats = (n: number, from = 0) => ssh.slice(from, from + n).map((row) => ({ ...row, attackClass: 'SSH-Patator', probability: 0.97 }));
  // Sources by number of real Bot flows, most first (the first needs three for the evidence threshold).
  const botSources = (): string[] => {
    const count = (ip: string) => botnet.filter((r) => r.srcIp === ip).length;
    return [...new Set(botnet.map((r) => r.srcIp))].sort((a, b) => count(b) - count(a));
  };
  const decisionsOn = (value: string) => h.ask<Decision[]>('listDecisions', { value });

  it('starts in simulation mode on a fresh install and only records what it would do', async () => {
    expect(await h.ask('getSimulation')).toMatchObject({ enabled: true });
    const attacker = ssh[0]!.srcIp;
    await h.publishThreats(sshThreats(4));
    await h.publishThreats(sshThreats(1, 4)); // the fifth threat within the window meets the evidence threshold
    const [decision] = await expectEventually(async () => {
      const found = await decisionsOn(attacker);
      expect(found).toHaveLength(1);
      return found;
    });
    expect(decision).toMatchObject({ scope: 'ip', value: attacker, action: 'ban', origin: 'auto', status: 'simulated', reason: { attackClass: 'SSH-Patator', evidenceCount: 5, modelVersion: 'detector@1+classifier@2' } });
    expect(h.executor.held.size).toBe(0);
    await expectEventually(() => expect(h.events).toContainEqual(expect.objectContaining({ event: 'decision', change: 'created', decision: expect.objectContaining({ id: decision!.id }) })));
  });

  it('enforces once simulation is off, promotes the simulated decision instead of adding a second, and extends it on fresh evidence', async () => {
    await h.ask('setSimulation', { enabled: false, actor: 'alice', reason: 'tuned' });
    const attacker = ssh[0]!.srcIp;
    h.clock.advance(2_000);
    await h.publishThreats(sshThreats(1, 5));
    const promoted = await expectEventually(async () => {
      const [d] = await decisionsOn(attacker);
      expect(d).toMatchObject({ status: 'active', version: 2 });
      return d!;
    });
    expect(h.executor.held.get(attacker)).toBe('ban');
    h.clock.advance(60_000);
    await h.publishThreats(sshThreats(1, 6));
    await expectEventually(async () => {
      const all = await decisionsOn(attacker);
      expect(all).toHaveLength(1);
      expect(new Date(all[0]!.expiresAt).getTime()).toBeGreaterThan(new Date(promoted.expiresAt).getTime());
    });
    const detail = await h.ask<Detail>('getDecision', { id: promoted.id });
    expect(detail.audit.map((a) => [a.fromStatus, a.toStatus, a.actor])).toEqual([[null, 'simulated', 'policy'], ['simulated', 'active', 'policy'], ['active', 'active', 'policy']]);
  });

  it('holds approval-policy decisions for a human, and trips the ceiling into simulation with an alert', async () => {
    const botnetPolicy = (await h.ask<Policy[]>('listPolicies')).find((p) => p.contract === 'cicflowmeter' && p.attackClass === 'Bot')!;
    expect(botnetPolicy.requiresApproval).toBe(true);
    const sources = botSources();
    await h.publishThreats(botnet.filter((r) => r.srcIp === sources[0]).slice(0, 3).map((r) => ({ ...r, attackClass: 'Bot', probability: 0.95 })));
    const [pending] = await expectEventually(async () => {
      const found = await decisionsOn(sources[0]!);
      expect(found).toMatchObject([{ status: 'pending-approval' }]);
      return found;
    });
    await h.ask('approveDecision', { id: pending!.id, actor: 'bob', reason: 'confirmed infected' });
    expect(await decisionsOn(sources[0]!)).toMatchObject([{ status: 'active' }]);

    await h.ask('upsertPolicy', { actor: 'alice', policy: { ...botnetPolicy, requiresApproval: false, evidenceCount: 1 } });
    for (const ip of sources.slice(1, 4)) await h.publishThreats([{ ...botnet.find((r) => r.srcIp === ip)!, attackClass: 'Bot', probability: 0.95 }]);
    await expectEventually(async () => {
      const statuses = await Promise.all(sources.slice(1, 4).map(async (ip) => (await decisionsOn(ip))[0]?.status));
      expect(statuses).toEqual(['active', 'simulated', 'simulated']);
    });
    expect(await h.ask('getSimulation')).toMatchObject({ enabled: true, updatedBy: 'safety' });
    expect(h.events).toContainEqual(expect.objectContaining({ event: 'safety-alert', code: 'SELF_HEALING.CEILING_TRIPPED' }));
  });

  it('refuses a manual ban on an allowlisted network and turns threats from it into alerts only', async () => {
    await h.ask('setSimulation', { enabled: false, actor: 'alice', reason: 'after ceiling review' });
    const ip = botSources()[0]!;
    const before = (await decisionsOn(ip)).filter((d) => ['active', 'simulated', 'pending-approval', 'failed'].includes(d.status));
    expect(before.length).toBeGreaterThan(0);
    const added = await h.ask<{ revoked: Decision[] }>('addAllowlist', { cidr: '192.168.10.0/24', note: 'office', actor: 'alice' });
    expect(added.revoked.map((d) => d.id)).toEqual(expect.arrayContaining(before.map((d) => d.id)));
    expect(h.executor.held.has(ip)).toBe(false);
    await expect(h.ask('createDecision', { scope: 'ip', value: '192.168.10.50', action: 'ban', durationSeconds: 60, actor: 'eve' })).rejects.toMatchObject({ code: 'SELF_HEALING.ALLOWLISTED' });
    await expect(h.ask('createDecision', { scope: 'ip', value: '10.0.0.1; drop', action: 'ban', durationSeconds: 60, actor: 'eve' })).rejects.toMatchObject({ code: 'SELF_HEALING.INVALID_ADDRESS' });
    await expect(h.ask('createDecision', { scope: 'ip', action: 'ban' })).rejects.toMatchObject({ code: 'SELF_HEALING.INVALID_REQUEST' });
    h.clock.advance(2_000);
    await h.publishThreats([{ ...botnet.find((r) => r.srcIp === ip)!, attackClass: 'Bot', probability: 0.95 }]);
    await expectEventually(async () => expect((await decisionsOn(ip)).find((d) => d.status === 'active')).toMatchObject({ action: 'alert', reason: { note: expect.stringContaining('allowlisted') } }));
    expect(h.executor.held.has(ip)).toBe(false);
  });

  it('after a restart keeps active decisions in force until expiry and expires the ones past it, without a mass unban', async () => {
    const short = await h.ask<Decision>('createDecision', { scope: 'range', value: '198.51.100.0/24', action: 'throttle', durationSeconds: 30, actor: 'alice', reason: 'test' });
    const long = await h.ask<Decision>('createDecision', { scope: 'ip', value: '203.0.113.80', action: 'ban', durationSeconds: 3600, actor: 'alice', reason: 'test' });
    expect(h.executor.held.get('198.51.100.0/24')).toBe('throttle');
    h.executor.withdrawn = [];
    h.clock.advance(31_000);
    await h.restart();
    expect(h.executor.held.has('198.51.100.0/24')).toBe(false);
    expect(h.executor.held.get('203.0.113.80')).toBe('ban');
    expect(h.executor.held.get(ssh[0]!.srcIp)).toBe('ban');
    expect(h.executor.withdrawn).toEqual(['198.51.100.0/24']);
    expect((await h.ask<Detail>('getDecision', { id: short.id })).decision.status).toBe('expired');
    expect((await h.ask<Detail>('getDecision', { id: long.id })).decision.status).toBe('active');
  });

  it('marks a decision failed when an executor fails, alerts, and retries it on the next sweep', async () => {
    h.executor.failNext = 'nft: permission denied';
    const d = await h.ask<Decision>('createDecision', { scope: 'ip', value: '203.0.113.81', action: 'ban', durationSeconds: 600, actor: 'alice', reason: 'test' });
    expect(d).toMatchObject({ status: 'failed', lastError: expect.stringContaining('permission denied') });
    expect(h.events).toContainEqual(expect.objectContaining({ event: 'safety-alert', code: 'SELF_HEALING.EXECUTOR_FAILED' }));
    await h.app.get((await import('./decision-lifecycle.service')).DecisionLifecycleService).sweep();
    expect((await h.ask<Detail>('getDecision', { id: d.id })).decision.status).toBe('active');
    expect(h.executor.held.get('203.0.113.81')).toBe('ban');
  });

  it('serves the CrowdSec-shaped decision stream: everything in force at startup, then changes since the cursor', async () => {
    const start = await h.ask<{ new: { value: string; type: string; scope: string; duration: string }[]; cursor: string }>('decisionStream', { startup: true });
    expect(start.new).toContainEqual(expect.objectContaining({ value: '203.0.113.80', type: 'ban', scope: 'Ip', duration: expect.stringMatching(/^\d+m\d+s$/) }));
    h.clock.advance(1_000);
    const long = (await decisionsOn('203.0.113.80'))[0]!;
    await h.ask('revokeDecision', { id: long.id, actor: 'alice', reason: 'done' });
    const next = await h.ask<{ new: unknown[]; deleted: { value: string }[] }>('decisionStream', { since: start.cursor });
    expect(next.deleted.map((d) => d.value)).toEqual(['203.0.113.80']);
  });

  it('isolates pods by a checked label selector, one open decision per selector, and keeps them off the CrowdSec stream', async () => {
    const pod = await h.ask<Decision>('createDecision', { scope: 'pod', value: ' vigil.io/quarantine=web-7f9c, app=web ', action: 'isolate', durationSeconds: 600, actor: 'alice', reason: 'compromised' });
    expect(pod).toMatchObject({ scope: 'pod', value: 'app=web,vigil.io/quarantine=web-7f9c', action: 'isolate', status: 'active', origin: 'manual' });
    expect(h.executor.held.get('app=web,vigil.io/quarantine=web-7f9c')).toBe('isolate');
    const again = await h.ask<Decision>('createDecision', { scope: 'pod', value: 'vigil.io/quarantine=web-7f9c,app=web', action: 'isolate', durationSeconds: 1200, actor: 'bob', reason: 'still' });
    expect(again.id).toBe(pod.id);
    for (const value of ['app', ' , ', 'app!=web', 'app=web;rm -rf', `app=${'x'.repeat(64)}`]) {
      await expect(h.ask('createDecision', { scope: 'pod', value, action: 'isolate', durationSeconds: 60, actor: 'eve' })).rejects.toMatchObject({ code: 'SELF_HEALING.INVALID_ADDRESS' });
    }
    await expect(h.ask('createDecision', { scope: 'pod', value: 'app=web', action: 'throttle', durationSeconds: 60, actor: 'eve' })).rejects.toMatchObject({ code: 'SELF_HEALING.INVALID_REQUEST' });
    await expect(h.ask('createDecision', { scope: 'pod', value: `app=${'x'.repeat(300)}`, action: 'isolate', durationSeconds: 60, actor: 'eve' })).rejects.toMatchObject({ code: 'SELF_HEALING.INVALID_REQUEST' });
    const stream = await h.ask<{ new: { value: string }[] }>('decisionStream', { startup: true });
    expect(stream.new.map((d) => d.value)).not.toContain(pod.value);
  });
});
