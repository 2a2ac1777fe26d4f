import { execFileSync } from 'node:child_process';
import { type Decision } from '@vigil/contracts';
import { NatsClient, request } from '@vigil/messaging';
import { expectEventually, startMigratedService, startService, uniqueName, type MigratedService, type ServiceProcess } from '@vigil/testing';
import { loadSelfHealingConfig } from './config/self-healing.config';
import { createNetnsPair, netnsUnavailableReason, type NetnsPair } from './executors/netns.fixture';
import { selfHealingTopology, type RequestName } from './messaging/self-healing.topology';

// A real self-healing process whose nftables executor acts in the defender namespace; needs
// root, `ip` and `nft` like the executor test (VIGIL_SKIP_NETNS=1 skips it).
const unavailable = netnsUnavailableReason();
const describeNetns = process.env['VIGIL_SKIP_NETNS'] === '1' ? describe.skip : describe;

interface KernelElement {
  readonly value: string;
  readonly expiresSeconds: number;
}

describeNetns('self-healing process killed with -9 and restarted (nftables in a network namespace)', () => {
  const prefix = uniqueName('shk');
  const topology = selfHealingTopology(prefix);
  let pair: NetnsPair;
  let first: MigratedService;
  let second: ServiceProcess | undefined;
  let nats: NatsClient;

  const env = (): Record<string, string> => ({
    PIPELINE_PREFIX: prefix, SELF_HEALING_NFT_ENABLED: 'true', SELF_HEALING_NFT_COMMAND: `ip netns exec ${pair.defender} nft`, SELF_HEALING_SWEEP_INTERVAL_MS: '500',
  });
  const ask = <T>(name: RequestName, payload: unknown = {}): Promise<T> => request<T>(nats.connection, { subject: topology.request(name), payload, timeoutMs: 5_000 });
  const kernel = (set: string): KernelElement[] => {
    const out = execFileSync('ip', ['netns', 'exec', pair.defender, 'nft', '-j', 'list', 'set', 'inet', 'vigil', set], { encoding: 'utf8' });
    const json = JSON.parse(out) as { nftables: { set?: { elem?: { elem: { val: unknown; expires: number } }[] } }[] };
    const elems = json.nftables.find((i) => i.set)?.set?.elem ?? [];
    return elems.map(({ elem }) => {
      const prefixed = elem.val as { prefix?: { addr: string; len: number } };
      return { value: prefixed.prefix ? `${prefixed.prefix.addr}/${prefixed.prefix.len}` : String(elem.val), expiresSeconds: elem.expires };
    });
  };
  const ready = async (service: ServiceProcess) =>
    expectEventually(async () => expect((await fetch(`${service.url}/readyz`)).status).toBe(200), { timeoutMs: 15_000 });

  beforeAll(async () => {
    if (unavailable) throw new Error(`restart namespace test cannot run: ${unavailable}; set VIGIL_SKIP_NETNS=1 to skip it`);
    pair = createNetnsPair();
    first = await startMigratedService({ app: 'self-healing', env: env() });
    nats = await NatsClient.connect({ servers: loadSelfHealingConfig({}).natsServers, name: 'self-healing-restart-test' });
  });
  afterAll(async () => {
    await second?.stop('SIGKILL');
    await first?.cleanup();
    if (nats) {
      const jsm = await nats.manager();
      for (const s of [topology.threatsStream, topology.decisionsStream, topology.dlqStream]) await jsm.streams.delete(s.name).catch(() => false);
      await nats.drain();
    }
    pair?.destroy();
  });

  it('after kill -9 and a restart the kernel holds exactly the active decisions with their remaining time, and nothing was lifted early', async () => {
    await ready(first.service);
    await expectEventually(() => expect(pair.canConnect()).toBe(true), { timeoutMs: 5_000 });
    await ask('setSimulation', { enabled: false, actor: 'test', reason: 'enforce' });
    const create = (value: string, action: string, durationSeconds: number) =>
      ask<Decision>('createDecision', { scope: value.includes('/') ? 'range' : 'ip', value, action, durationSeconds, actor: 'test', reason: 'restart test' });
    const attacker = await create(pair.attackerIp, 'ban', 600);
    const short = await create('192.0.2.20', 'ban', 2);
    await create('198.51.100.0/24', 'throttle', 600);
    expect([attacker.status, short.status]).toEqual(['active', 'active']);
    expect(kernel('ban_v4').map((e) => e.value).sort()).toEqual(['192.0.2.20', pair.attackerIp].sort());
    expect(pair.canConnect()).toBe(false);

    await first.service.stop('SIGKILL');
    expect(pair.canConnect()).toBe(false); // the kernel holds the ban while Vigil is gone
    await expectEventually(() => expect(kernel('ban_v4').map((e) => e.value)).toEqual([pair.attackerIp]), { timeoutMs: 6_000 }); // the short one timed out in the kernel

    second = await startService({ app: 'self-healing', env: { ...env(), DATABASE_SCHEMA_PREFIX: first.schemaPrefix } });
    await ready(second);
    const active = await ask<Decision[]>('listDecisions', { status: ['active'] });
    expect(active.map((d) => d.value).sort()).toEqual(['198.51.100.0/24', pair.attackerIp].sort());
    await expectEventually(async () => expect((await ask<{ decision: Decision }>('getDecision', { id: short.id })).decision.status).toBe('expired'));
    const bans = kernel('ban_v4');
    expect(bans.map((e) => e.value)).toEqual([pair.attackerIp]);
    expect(kernel('throttle_v4').map((e) => e.value)).toEqual(['198.51.100.0/24']);
    // the restored element expires when the decision does, not earlier
    const remaining = (Date.parse(attacker.expiresAt) - Date.now()) / 1000;
    expect(Math.abs(bans[0]!.expiresSeconds - remaining)).toBeLessThan(5);
    expect(pair.canConnect()).toBe(false);
  });
});
