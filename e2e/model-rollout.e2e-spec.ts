// Rollout with real processes: a model-registry, ingestion, two detection replicas and
// classification. Upload → validate → promote reaches both replicas within 5 s; a 10 % canary
// scores 10 % ± 1.5 % of 100,000 flows, chosen per flow id; a shadow version runs beside
// production, its answers published only on shadow.*, never in the result streams that
// self-healing and the gateway consume, and its agreement rate shows in the registry.
import { type ThreatBatch } from '@vigil/contracts';
import { canaryRows } from '@vigil/inference';
import { expectEventually } from '@vigil/testing';
import { readDetections, readThreats, sampleCsv } from './pipeline.fixture';
import { type SwapPipeline, flowsByVersion, openSwapPipeline } from './model-swap.fixture';

const NSL = 'threat-detector-nsl-kdd';

describe('model rollout: promotion, canary and shadow (real processes)', () => {
  let p: SwapPipeline;
  let produced = 0;
  const csv = sampleCsv('nsl-kdd');

  async function stream(flows: number) {
    const before = await readDetections(p);
    await p.produce(csv, { from: produced, to: produced + flows, chunk: 500 });
    produced += flows;
    const seen = new Set(before.map((b) => b.header.batchId));
    return expectEventually(async () => {
      const all = await readDetections(p);
      const fresh = all.filter((b) => !seen.has(b.header.batchId));
      expect(fresh.reduce((n, b) => n + b.header.count, 0)).toBe(flows);
      return fresh;
    }, { timeoutMs: 90_000, intervalMs: 500 });
  }

  beforeAll(async () => {
    p = await openSwapPipeline();
    for (const seed of [1, 2, 3, 4]) await p.uploadDetector('nsl-kdd', seed);
    await p.uploadDetector('cicflowmeter', 1);
    for (const name of [NSL, 'threat-detector-cicflowmeter']) await p.registry.setAlias({ name, alias: 'production', version: 1, actor: 'e2e' });
    await p.start('ingestion');
    await p.start('detection', { MODEL_SOURCE: 'registry', SERVICE_INSTANCE: 'replica-a' });
    await p.start('detection', { MODEL_SOURCE: 'registry', SERVICE_INSTANCE: 'replica-b' });
    await p.start('classification');
    await p.awaitServing({ contract: 'nsl-kdd', alias: 'production', version: 1, replicas: 2 });
  }, 120_000);

  afterAll(() => p?.close());

  it('upload → validate → promote: both running detection replicas serve the new version within 5 s', async () => {
    const started = performance.now();
    const v5 = await p.uploadDetector('nsl-kdd', 5);
    await p.registry.setAlias({ name: NSL, alias: 'production', version: v5.version, actor: 'e2e', reason: 'promote' });
    await p.awaitServing({ contract: 'nsl-kdd', alias: 'production', version: v5.version, replicas: 2, timeoutMs: 5_000 });
    expect(performance.now() - started).toBeLessThan(5_000);
    const fresh = await stream(5_000);
    expect(flowsByVersion(fresh)).toEqual(new Map([[v5.version, 5_000]]));
  }, 60_000);

  it('a canary at 10 % scores 10 % ± 1.5 % of 100,000 flows, exactly the flows whose id routes to it', async () => {
    await p.registry.setAlias({ name: NSL, alias: 'canary', version: 3, canaryShare: 10, actor: 'e2e' });
    await p.awaitServing({ contract: 'nsl-kdd', alias: 'canary', version: 3, replicas: 2 });
    const fresh = await stream(100_000);
    const share = (flowsByVersion(fresh).get(3) ?? 0) / 100_000;
    expect(Math.abs(share - 0.1)).toBeLessThan(0.015);
    for (const b of fresh) expect(b.header.canary?.rows ?? []).toEqual(Array.from(canaryRows(b.header.flowIds, b.header.count, 10)));
    expect(fresh.every((b) => b.header.canary === undefined || b.header.canary.model.version === 3)).toBe(true);
    await p.registry.setAlias({ name: NSL, alias: 'canary', version: null, actor: 'e2e' });
  }, 150_000);

  it('shadow runs beside production on shadow.* only: nothing of it reaches detections or threats, and its agreement is reported', async () => {
    await p.registry.setAlias({ name: NSL, alias: 'shadow', version: 4, actor: 'e2e' });
    await p.awaitServing({ contract: 'nsl-kdd', alias: 'shadow', version: 4, replicas: 2 });
    const shadow: { model: { version: number }; count: number }[] = [];
    const sub = p.nc.subscribe(`${p.topology.prefix}.shadow.>`, { callback: (_e, m) => { shadow.push(m.json()); } });
    const fresh = await stream(20_000);
    await expectEventually(() => expect(shadow.reduce((n, s) => n + s.count, 0)).toBeGreaterThanOrEqual(20_000));
    sub.unsubscribe();
    expect(new Set(shadow.map((s) => s.model.version))).toEqual(new Set([4]));
    const detections = await readDetections(p);
    expect(detections.some((b) => b.header.model.version === 4 || b.header.canary?.model.version === 4)).toBe(false);
    const threats: ThreatBatch[] = await readThreats(p);
    expect(threats.length).toBeGreaterThan(0);
    const fromShadow = threats.flatMap((t) => t.threats.filter((x) => t.detector.version === 4 || x.detector?.version === 4));
    expect(fromShadow).toEqual([]);
    expect(fresh.length).toBeGreaterThan(0);
    await expectEventually(async () => {
      const s = await p.registry.ask<{ models: { name: string; shadowAgreement?: { rows: number; rate: number } }[] }>('rolloutStatus', { name: NSL });
      expect(s.models[0]).toMatchObject({ name: NSL });
      expect(s.models[0].shadowAgreement?.rows ?? 0).toBeGreaterThanOrEqual(20_000);
      expect(s.models[0].shadowAgreement?.rate).toBeGreaterThan(0.5);
    }, { timeoutMs: 15_000 });
  }, 120_000);
});
