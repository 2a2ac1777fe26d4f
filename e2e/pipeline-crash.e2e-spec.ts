// Crash safety with real processes: two detection replicas share the durable consumer; one is
// killed with SIGKILL while 100,000 real flows (the committed samples of both contracts, cycled,
// each copy with its own source Flow ID) stream through. Its unacked batches are redelivered to
// the survivor, and the result stream still holds exactly one result per flow id, none missing.
import { type DetectionBatchMessage } from '@vigil/contracts';
import { expectEventually } from '@vigil/testing';
import { type Pipeline, openPipeline, readDetections, sampleCsv } from './pipeline.fixture';

const PER_CONTRACT = 50_000;
const flowsIn = (batches: readonly DetectionBatchMessage[]): number => batches.reduce((n, b) => n + b.header.count, 0);

describe('pipeline crash safety', () => {
  let p: Pipeline;

  beforeAll(async () => {
    p = await openPipeline();
    await p.start('ingestion');
  }, 120_000);

  afterAll(() => p?.close());

  it('kill -9 of one of two detection replicas mid-stream: exactly one result per flow id, none missing', async () => {
    // Small micro-batches and a short ack wait keep the victim holding work when it dies and
    // bring that work back quickly.
    const env = { STAGE_ACK_WAIT_MS: '2000', BATCH_MAX_FLOWS: '1024', BATCH_MAX_WAIT_MS: '5' };
    const [victim] = [await p.start('detection', env), await p.start('detection', env)];
    const csvs = [sampleCsv('nsl-kdd'), sampleCsv('cicflowmeter')];
    const firstHalf = Promise.all(csvs.map((csv) => p.produce(csv, { from: 0, to: PER_CONTRACT / 2, chunk: 250 })));
    await expectEventually(async () => expect(flowsIn(await readDetections(p))).toBeGreaterThan(5_000), { timeoutMs: 60_000, intervalMs: 100 });
    expect(await victim.service.stop('SIGKILL')).toBeNull();
    await firstHalf;
    await Promise.all(csvs.map((csv) => p.produce(csv, { from: PER_CONTRACT / 2, to: PER_CONTRACT, chunk: 250 })));

    const detections = await expectEventually(async () => {
      const d = await readDetections(p);
      expect(new Set(d.flatMap((b) => b.header.flowIds)).size).toBe(2 * PER_CONTRACT);
      return d;
    }, { timeoutMs: 120_000, intervalMs: 1_000 });
    // Let any late redelivery land before counting.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const settled = await readDetections(p);
    expect(settled.length).toBe(detections.length);
    expect(flowsIn(settled)).toBe(2 * PER_CONTRACT);
    const perContract = new Map<string, Set<string | undefined>>();
    for (const b of settled) for (const e of b.header.envelopes) perContract.set(b.contract.id, (perContract.get(b.contract.id) ?? new Set()).add(e.flowId));
    expect([...perContract.values()].map((s) => s.size)).toEqual([PER_CONTRACT, PER_CONTRACT]);
  }, 240_000);
});
