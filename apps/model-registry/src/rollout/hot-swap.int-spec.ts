import { ModelHotSwapClient, ModelRunner, readSampleRows, trainSampleVersion, type HotSwapResult, type SampleRows, type SampleVersion } from '@vigil/inference';
import { publishBatch } from '@vigil/messaging';
import { expectEventually } from '@vigil/testing';
import { startRegistry, type RegistryHarness } from '../testing/registry.fixture';
import { type RolloutStatus } from './rollout.tracker';

const NAME = 'det-swap';

describe('hot swap: two real clients serving while the registry moves aliases', () => {
  let h: RegistryHarness;
  let versions: SampleVersion[];
  let rows: SampleRows;
  const clients: ModelHotSwapClient[] = [];

  beforeAll(async () => {
    rows = await readSampleRows('cicflowmeter');
    versions = await Promise.all([1, 2].map((seed) => trainSampleVersion({ contract: 'cicflowmeter', task: 'detect', name: NAME, seed, nEstimators: 8 })));
    h = await startRegistry({ REGISTRY_ROLLOUT_FORGET_MS: '1000' });
    for (const v of versions) await h.client.upload({ manifest: v.manifest, model: v.model, createdBy: 'alice' });
    await h.client.setAlias({ name: NAME, alias: 'production', version: 1, actor: 'alice' });
    for (const replica of ['replica-a', 'replica-b']) {
      clients.push(ModelHotSwapClient.start({
        connection: h.nats.connection, jetstream: h.nats.jetstream, prefix: h.config.pipelinePrefix, model: NAME, replica, service: 'detection',
        expect: { task: 'detect', contract: 'cicflowmeter' }, reportIntervalMs: 200,
      }));
    }
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.stop()));
    await h?.close();
  });

  const status = () => h.client.ask<RolloutStatus>('rolloutStatus', { name: NAME });
  const batch = (i: number) => {
    const width = rows.features.length / rows.count;
    const at = (i * 37) % (rows.count - 64);
    return { batchId: `swap-test:${i}`, features: rows.features.subarray(at * width, (at + 64) * width), count: 64 };
  };

  /** Runs batches back to back on every client until stopped; every batch must answer. */
  function drive() {
    const results: { client: number; i: number; result: HotSwapResult; at: number }[] = [];
    const failures: unknown[] = [];
    let stop = false;
    let issued = 0;
    const loops = clients.map(async (client, c) => {
      while (!stop) {
        const i = issued++;
        try {
          results.push({ client: c, i, result: await client.run(batch(i)), at: performance.now() });
        } catch (err) {
          failures.push(err);
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
    });
    return { results, failures, issued: () => issued, stop: async () => { stop = true; await Promise.all(loops); } };
  }

  it('both replicas serve production and the registry counts them per alias', async () => {
    await expectEventually(() => expect(clients.map((c) => c.current().production?.version)).toEqual([1, 1]));
    await expectEventually(async () => expect((await status()).models[0]).toMatchObject({ name: NAME, replicas: 2, aliases: { production: { target: 1, serving: { 1: 2 }, onTarget: 2 } } }));
  });

  it('swaps production under continuous load: no batch fails or is lost, and every later result carries the new version', async () => {
    const load = drive();
    await expectEventually(() => expect(load.results.length).toBeGreaterThan(50));
    const moved = performance.now();
    await h.client.setAlias({ name: NAME, alias: 'production', version: 2, actor: 'alice', reason: 'promote v2' });
    await expectEventually(() => expect(clients.map((c) => c.current().production?.version)).toEqual([2, 2]), { timeoutMs: 5_000 });
    const swapMs = performance.now() - moved;
    const switched = load.results.length;
    await expectEventually(() => expect(load.results.length).toBeGreaterThan(switched + 50));
    await load.stop();
    expect(load.failures).toEqual([]);
    expect(load.results).toHaveLength(load.issued());
    for (const c of [0, 1]) {
      const mine = load.results.filter((r) => r.client === c).map((r) => r.result.model.version);
      const firstNew = mine.indexOf(2);
      expect(firstNew).toBeGreaterThan(0);
      expect(mine.slice(firstNew).every((v) => v === 2)).toBe(true);
    }
    // The new version's answers are its own: the same rows through a fresh runner of v2.
    const reference = await ModelRunner.create({ manifest: { ...versions[1]!.manifest, version: 2 }, model: versions[1]!.model });
    const last = load.results.at(-1)!;
    const expected = await reference.run(batch(last.i).features, 64);
    expect(Array.from(last.result.output.probabilities)).toEqual(Array.from(expected.probabilities));
    await reference.release();
    expect(swapMs).toBeLessThan(5_000);
    await expectEventually(async () => expect((await status()).models[0]?.aliases.production).toEqual({ target: 2, serving: { 2: 2 }, onTarget: 2 }));
  });

  it('keeps the old version serving when a new one fails to load, and reports why', async () => {
    // An activation naming a version this registry does not hold (a stale or foreign event).
    const forged = { ...h.events.at(-1)!.event, eventId: 999_999, from: 2, to: 42, aliases: { production: { version: 42 } }, artifacts: {} };
    await publishBatch(h.nats.jetstream, { subject: h.topology.activated(NAME), payload: new TextEncoder().encode(JSON.stringify(forged)), msgId: 'forged-42' });
    await expectEventually(async () => {
      const model = (await status()).models[0];
      expect(model?.failures).toHaveLength(2);
      expect(model?.failures[0]?.reason).toMatch(/REGISTRY\.VERSION_NOT_FOUND/);
    });
    const result = await clients[0]!.run(batch(1));
    expect(result.model).toEqual({ name: NAME, version: 2 });
    // Moving back to a real version clears the failure.
    await h.client.setAlias({ name: NAME, alias: 'production', version: 2, actor: 'alice', reason: 'undo the forged event' });
    await expectEventually(async () => expect((await status()).models[0]?.failures).toEqual([]));
  });

  it('routes the canary share by batch id, the same way on every replica', async () => {
    await h.client.setAlias({ name: NAME, alias: 'canary', version: 1, canaryShare: 30, actor: 'bob', reason: 'canary v1 back' });
    await expectEventually(() => expect(clients.map((c) => c.current().canary?.share)).toEqual([30, 30]));
    const roles = await Promise.all(clients.map(async (c) => {
      const out: string[] = [];
      for (let i = 0; i < 400; i++) out.push((await c.run(batch(i))).role);
      return out;
    }));
    expect(roles[0]).toEqual(roles[1]);
    const share = roles[0]!.filter((r) => r === 'canary').length / 400;
    expect(share).toBeGreaterThan(0.22);
    expect(share).toBeLessThan(0.38);
    await expectEventually(async () => expect((await status()).models[0]?.aliases.canary).toMatchObject({ target: 1, canaryShare: 30, serving: { 1: 2 } }));
  });

  it('runs shadow beside production without changing the answer, and the registry shows the agreement rate', async () => {
    await h.client.setAlias({ name: NAME, alias: 'canary', version: null, actor: 'bob' });
    await h.client.setAlias({ name: NAME, alias: 'shadow', version: 1, actor: 'bob', reason: 'compare v1' });
    await expectEventually(() => expect(clients.map((c) => c.current().shadow?.version)).toEqual([1, 1]));
    const result = await clients[1]!.run(batch(5));
    expect(result).toMatchObject({ model: { version: 2 }, role: 'production', shadow: { model: { version: 1 } } });
    expect(result.shadow!.agreed).toBeGreaterThan(32);
    await expectEventually(async () => {
      const model = (await status()).models[0];
      expect(model?.shadowAgreement?.rows).toBeGreaterThanOrEqual(64);
      expect(model?.shadowAgreement?.rate).toBeGreaterThan(0.5);
    });
  });

  it('forgets replicas that stop reporting', async () => {
    expect((await status()).replicas.map((r) => r.replica)).toEqual(['replica-a', 'replica-b']);
    await Promise.all(clients.splice(0).map((c) => c.stop()));
    await expectEventually(async () => expect((await status()).replicas).toEqual([]), { timeoutMs: 5_000 });
  });
});
