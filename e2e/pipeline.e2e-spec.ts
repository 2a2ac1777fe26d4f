// The pipeline as real processes (ingestion, detection, classification) on real NATS JetStream,
// with real models trained from the committed samples. The 100,000 flows are the committed real
// sample rows of both contracts cycled: every copy carries its own source `Flow ID`
// (`e2e-<contract>-<k>`), so each is a distinct flow, and its answers are those of its row.
import { type DetectionBatchMessage } from '@vigil/contracts';
import { expectEventually } from '@vigil/testing';
import { type Pipeline, flowLine, offlineAnswers, openPipeline, readDetections, readThreats, rowOfSourceId, sampleCsv, streamMessages } from './pipeline.fixture';

const PER_CONTRACT = 50_000;
const flowsIn = (batches: readonly DetectionBatchMessage[]): number => batches.reduce((n, b) => n + b.header.count, 0);

describe('pipeline: ingestion → detection → classification as real processes', () => {
  let p: Pipeline;

  beforeAll(async () => {
    p = await openPipeline();
    await p.start('ingestion');
    await p.start('detection');
    await p.start('classification');
  }, 120_000);

  afterAll(() => p?.close());

  it('100,000 real flows in, exactly 100,000 detection results out, threats carrying the offline classes', async () => {
    const csvs = [sampleCsv('nsl-kdd'), sampleCsv('cicflowmeter')];
    await Promise.all(csvs.map((csv) => p.produce(csv, { from: 0, to: PER_CONTRACT })));
    const detections = await expectEventually(async () => {
      const d = await readDetections(p);
      expect(flowsIn(d)).toBeGreaterThanOrEqual(2 * PER_CONTRACT);
      return d;
    }, { timeoutMs: 120_000, intervalMs: 1_000 });
    expect(flowsIn(detections)).toBe(2 * PER_CONTRACT);
    const ids = new Set(detections.flatMap((d) => d.header.flowIds));
    expect(ids.size).toBe(2 * PER_CONTRACT);
    for (const csv of csvs) {
      const sources = detections.filter((d) => d.contract.id === csv.contract).flatMap((d) => d.header.envelopes.map((e) => e.flowId));
      expect(new Set(sources)).toEqual(new Set(Array.from({ length: PER_CONTRACT }, (_, k) => `e2e-${csv.contract}-${k}`)));
    }

    // One threat batch per detection batch that flagged something: polled on the stream's
    // message count, then the ~75 MB of threats are read once.
    const flagged = detections.reduce((n, d) => n + d.header.flagged.length, 0);
    const flaggedBatches = detections.filter((d) => d.header.flagged.length > 0).length;
    await expectEventually(async () => expect(await streamMessages(p, p.topology.streams.THREATS.name)).toBeGreaterThanOrEqual(flaggedBatches), { timeoutMs: 60_000, intervalMs: 500 });
    const threats = await readThreats(p);
    expect(threats.length).toBe(flaggedBatches);
    expect(threats.reduce((n, b) => n + b.threats.length, 0)).toBe(flagged);

    for (const csv of csvs) {
      const offline = offlineAnswers(p, csv);
      const mine = detections.filter((d) => d.contract.id === csv.contract);
      const flaggedRows = mine.flatMap((d) => d.header.flagged.map((i) => rowOfSourceId(csv, d.header.envelopes[i].flowId as string)));
      const expectedFlagged = Array.from({ length: PER_CONTRACT }, (_, k) => k % csv.lines.length).filter((r) => offline.flagged[r]);
      expect(flaggedRows.sort((a, b) => a - b)).toEqual(expectedFlagged.sort((a, b) => a - b));
      const wrong = threats
        .filter((t) => t.contract.id === csv.contract)
        .flatMap((t) => t.threats)
        .filter((t) => t.attackClass !== offline.cls[rowOfSourceId(csv, t.envelope.flowId as string)]);
      expect(wrong).toEqual([]);
    }
    const sample = threats[0].threats[0];
    expect(sample.top.length).toBeGreaterThan(0);
    expect(sample.top[0]).toEqual({ class: sample.attackClass, probability: sample.probability });
    expect(threats[0]).toMatchObject({ detector: { name: expect.stringMatching(/^threat-detector-/), version: 1 }, classifier: { version: 1 } });

    const metrics = await (await fetch(`${p.services[1].service.url}/metrics`)).text();
    expect(metrics).toMatch(/vigil_stage_flows_out_total\{stage="detection",contract="nsl-kdd".*\} 50000/);
    expect(metrics).toContain('vigil_inference_seconds_bucket');
    expect(metrics).toContain('vigil_end_to_end_seconds_bucket');
  }, 240_000);

  it('bad input: the good rows go through, each bad one is answered with its reason, and no service restarts', async () => {
    const csv = sampleCsv('nsl-kdd');
    const names = csv.header.split(',');
    const record = (k: number): Record<string, string> => Object.fromEntries(flowLine(csv, k).split(',').map((v, i) => [names[i], v.replace('e2e-', 'bad-')]));
    const records: unknown[] = Array.from({ length: 20 }, (_, i) => record(900_000 + i));
    records[2] = '0,tcp,http,SF,215';
    records[4] = { ...(records[4] as object), src_bytes: true };
    const missing = { ...(records[6] as Record<string, string>) };
    delete missing.dst_bytes;
    records[6] = missing;
    records[8] = { ...(records[8] as object), service: 'tftp_x' };
    const reply = await p.nc.request(p.topology.subjects.submit, JSON.stringify({ contract: 'nsl-kdd', records }), { timeout: 10_000 });
    const { data } = reply.json<{ data: { accepted: number; rejected: number; results: { row: number; status: string; field?: string; code?: string; reason?: string; warnings?: unknown[] }[] } }>();
    expect(data.rejected).toBe(3);
    expect(data.accepted).toBe(17);
    expect(data.results.filter((r) => r.status === 'rejected').map((r) => [r.row, r.field, r.code])).toEqual([
      [3, undefined, 'INGESTION.NOT_AN_OBJECT'], [5, 'src_bytes', 'INGESTION.WRONG_TYPE'], [7, 'dst_bytes', 'INGESTION.MISSING_FIELD'],
    ]);
    expect(data.results[8]).toMatchObject({ status: 'accepted', warnings: [{ field: 'service', code: 'CONTRACTS.UNKNOWN_CATEGORY' }] });

    // NATS caps a message at 1 MB, so the longest line the producer door can carry is just under it.
    const rejected = p.nc.subscribe(p.topology.subjects.rejected('nsl-kdd'), { max: 1 });
    const huge = `${'9'.repeat(900_000)},tcp`;
    const chunk = [csv.header, flowLine(csv, 950_000), 'not,a,row', huge, flowLine(csv, 950_001)].join('\n');
    await p.js.publish(p.topology.subjects.ingest('nsl-kdd'), chunk);
    for await (const m of rejected) {
      const body = m.json<{ rejected: number; errors: { row: number; code: string; reason: string }[] }>();
      expect(body.rejected).toBe(2);
      expect(body.errors.map((e) => [e.row, e.code])).toEqual([[3, 'CONTRACTS.FIELD_COUNT'], [4, 'CONTRACTS.FIELD_COUNT']]);
      expect(body.errors[1].reason.length).toBeLessThan(400);
    }
    await expectEventually(async () => {
      const sources = new Set((await readDetections(p)).flatMap((d) => d.header.envelopes.map((e) => e.flowId)));
      for (let i = 0; i < 20; i++) if (![2, 4, 6].includes(i)) expect(sources).toContain(`bad-nsl-kdd-${900_000 + i}`);
      expect(sources).toContain('e2e-nsl-kdd-950000');
      expect(sources).toContain('e2e-nsl-kdd-950001');
    }, { timeoutMs: 30_000, intervalMs: 500 });
    for (const s of p.services) {
      expect((await fetch(`${s.service.url}/healthz`)).status).toBe(200);
      expect(s.service.logLines().filter((l) => l.level === 'fatal')).toEqual([]);
    }
  }, 120_000);
});
