import { randomUUID } from 'node:crypto';
import { expectEventually } from '@vigil/testing';
import { type DecisionEntity } from '../decisions/decision.entity';
import { createNetnsPair, netnsUnavailableReason, type NetnsPair } from './netns.fixture';
import { NftablesExecutor } from './nftables.executor';
import { ProcessNftRunner } from './nftables.runner';

// CI runs this as root with nftables installed; elsewhere set VIGIL_SKIP_NETNS=1 to skip it.
const unavailable = netnsUnavailableReason();
const skip = process.env['VIGIL_SKIP_NETNS'] === '1';
const describeNetns = skip ? describe.skip : describe;

function decision(over: Partial<DecisionEntity>): DecisionEntity {
  const now = new Date();
  return {
    id: randomUUID(), version: 1, scope: 'ip', value: '10.213.0.2', action: 'ban', origin: 'manual', status: 'active',
    reason: { attackClass: 'SSH-Patator', confidence: 1 }, durationSeconds: 600, escalationLevel: 0,
    createdAt: now, updatedAt: now, expiresAt: new Date(now.getTime() + 600_000), flowIds: [], alertIds: [], lastError: null, ...over,
  };
}

describeNetns('nftables executor in real network namespaces', () => {
  let pair: NetnsPair;
  let executor: NftablesExecutor;

  beforeAll(() => {
    if (unavailable) throw new Error(`nftables namespace test cannot run: ${unavailable}; set VIGIL_SKIP_NETNS=1 to skip it`);
    pair = createNetnsPair();
    executor = new NftablesExecutor(new ProcessNftRunner(['ip', 'netns', 'exec', pair.defender, 'nft']), { throttlePps: 50 });
  });

  afterAll(() => pair?.destroy());

  it('cuts the attacker off on a ban and lets it back in when the kernel timeout expires', async () => {
    await expectEventually(() => expect(pair.canConnect()).toBe(true), { timeoutMs: 5_000 });
    await executor.reconcile([], new Date());
    expect(pair.canConnect()).toBe(true);

    const ban = decision({ value: pair.attackerIp, expiresAt: new Date(Date.now() + 3_000) });
    await executor.apply(ban, new Date());
    expect((await executor.kernelElements())['ban_v4']).toEqual([pair.attackerIp]);
    expect(pair.canConnect()).toBe(false);

    await expectEventually(() => expect(pair.canConnect()).toBe(true), { timeoutMs: 8_000, intervalMs: 250 });
    expect((await executor.kernelElements())['ban_v4']).toEqual([]);
  });

  it('lifts a ban on revoke, and re-applying extends instead of duplicating', async () => {
    const ban = decision({ value: pair.attackerIp });
    await executor.apply(ban, new Date());
    await executor.apply({ ...ban, expiresAt: new Date(Date.now() + 1_200_000) }, new Date());
    expect((await executor.kernelElements())['ban_v4']).toEqual([pair.attackerIp]);
    expect(pair.canConnect()).toBe(false);

    await executor.withdraw(ban);
    await executor.withdraw(ban);
    expect((await executor.kernelElements())['ban_v4']).toEqual([]);
    expect(pair.canConnect()).toBe(true);
  });

  it('reconciles the kernel to exactly the active decisions, ranges and IPv6 /64s included', async () => {
    await executor.apply(decision({ value: '192.0.2.77' }), new Date());
    const active = [
      decision({ value: pair.attackerIp }),
      decision({ scope: 'range', value: '198.51.100.0/24', action: 'throttle' }),
      decision({ scope: 'range', value: '2001:db8:1:2::/64' }),
    ];
    await executor.reconcile(active, new Date());
    expect(await executor.kernelElements()).toEqual({
      ban_v4: [pair.attackerIp], ban_v6: ['2001:db8:1:2::/64'], throttle_v4: ['198.51.100.0/24'], throttle_v6: [],
    });
    expect(pair.canConnect()).toBe(false);
    await executor.reconcile([], new Date());
    expect(pair.canConnect()).toBe(true);
  });
});
