import { type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { type Decision } from '@vigil/contracts';
import { createLogger, Metrics, ObservabilityModule } from '@vigil/observability';
import { expectEventually } from '@vigil/testing';
import { loadSelfHealingConfig } from '../config/self-healing.config';
import { createNetnsPair, netnsUnavailableReason, type NetnsPair } from '../executors/netns.fixture';
import { NftablesExecutor } from '../executors/nftables.executor';
import { ProcessNftRunner } from '../executors/nftables.runner';
import { startHarness, type Harness } from '../testing/self-healing.fixture';
import { NodeAgentModule } from './node-agent.module';
import { NodeAgentService } from './node-agent.service';

// Root, `ip` and `nft` needed, as for the nftables executor test; VIGIL_SKIP_NETNS=1 skips it.
const unavailable = netnsUnavailableReason();
const describeNetns = process.env['VIGIL_SKIP_NETNS'] === '1' ? describe.skip : describe;

describeNetns('nftables node agent (SELF_HEALING_EXECUTOR_MODE=nftables-node) in a real network namespace', () => {
  let h: Harness;
  let pair: NetnsPair;
  let kernel: NftablesExecutor;
  let agent: INestApplication | undefined;

  const startAgent = async (): Promise<INestApplication> => {
    const nft = `ip netns exec ${pair.defender} nft`;
    const config = loadSelfHealingConfig({
      PIPELINE_PREFIX: h.config.pipelinePrefix, SELF_HEALING_EXECUTOR_MODE: 'nftables-node', SELF_HEALING_NFT_ENABLED: 'true', SELF_HEALING_NFT_COMMAND: nft,
    });
    const logger = createLogger({ service: 'self-healing', instance: 'node-test', level: 'silent' });
    const moduleRef = await Test.createTestingModule({
      imports: [
        ObservabilityModule.forRoot({ service: 'self-healing', instance: 'node-test', logger, metrics: new Metrics({ service: 'self-healing', instance: 'node-test' }) }),
        NodeAgentModule.register(config),
      ],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    return app;
  };
  const ban = (value: string) => h.ask<Decision>('createDecision', { scope: 'ip', value, action: 'ban', durationSeconds: 600, actor: 'alice', reason: 'node test' });
  const banned = async () => (await kernel.kernelElements())['ban_v4'] ?? [];

  beforeAll(async () => {
    if (unavailable) throw new Error(`node agent namespace test cannot run: ${unavailable}; set VIGIL_SKIP_NETNS=1 to skip it`);
    pair = createNetnsPair();
    kernel = new NftablesExecutor(new ProcessNftRunner(['ip', 'netns', 'exec', pair.defender, 'nft']), { throttlePps: 50 });
    h = await startHarness();
    await h.ask('setSimulation', { enabled: false, actor: 'test', reason: 'enforce' });
  });
  afterAll(async () => {
    await agent?.close();
    await h?.close();
    pair?.destroy();
  });

  it('reconciles from the active decisions at start, then follows decision events into the kernel', async () => {
    await expectEventually(() => expect(pair.canConnect()).toBe(true), { timeoutMs: 5_000 });
    const attacker = await ban(pair.attackerIp);
    await h.ask('createDecision', { scope: 'ip', value: '192.0.2.10', action: 'ban', durationSeconds: 600, actor: 'alice', reason: 'another' });
    agent = await startAgent();
    await expectEventually(async () => expect(agent!.get(NodeAgentService).isSynced).toBe(true));
    expect((await banned()).sort()).toEqual(['192.0.2.10', pair.attackerIp].sort());
    expect(pair.canConnect()).toBe(false);

    await ban('198.51.100.7');
    await expectEventually(async () => expect(await banned()).toContain('198.51.100.7'));
    await h.ask('revokeDecision', { id: attacker.id, actor: 'alice', reason: 'false positive' });
    await expectEventually(async () => expect(await banned()).not.toContain(pair.attackerIp));
    expect(pair.canConnect()).toBe(true);
  });

  it('catches up after being down: what changed meanwhile is exactly what the kernel holds on restart', async () => {
    await agent!.close();
    agent = undefined;
    const [seven] = await h.ask<Decision[]>('listDecisions', { value: '198.51.100.7' });
    await h.ask('revokeDecision', { id: seven!.id, actor: 'alice', reason: 'done' });
    await ban('203.0.113.44');
    expect(await banned()).toContain('198.51.100.7'); // nobody touched the kernel meanwhile
    agent = await startAgent();
    await expectEventually(async () => expect((await banned()).sort()).toEqual(['192.0.2.10', '203.0.113.44']));
  });
});
