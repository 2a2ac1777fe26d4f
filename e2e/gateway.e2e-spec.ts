// The gateway as a real process in front of the real pipeline (ingestion, detection,
// classification; models trained from the committed samples): uploads of every committed real
// sample variant, scored exactly as the offline models score the same file; re-upload; the
// live feed; the JSON door with wait.
import { readFileSync } from 'node:fs';
import { CONTRACT_SAMPLES, type ContractId, contractSamplePath, getContract } from '@vigil/contracts';
import { expectEventually } from '@vigil/testing';
import WebSocket from 'ws';
import { type Gateway, type JobAnswer, type OfflineFlow, finishedJob, offlineFile, parseResults, startGateway, upload } from './gateway.fixture';
import { type Pipeline, flowLine, openPipeline, sampleCsv } from './pipeline.fixture';

describe('gateway e2e: uploads through the real pipeline', () => {
  let p: Pipeline;
  let g: Gateway;

  beforeAll(async () => {
    p = await openPipeline();
    // Dedup off: every variant's rows are scored again even where two samples share rows.
    await p.start('ingestion', { INGEST_DEDUP_CAPACITY: '0' });
    await p.start('detection');
    await p.start('classification');
    g = await startGateway(p);
  }, 180_000);

  afterAll(() => p?.close());

  it.each(Object.entries(CONTRACT_SAMPLES))('upload of the %s sample: accepted rows and per-class alerts equal the offline models on the same file', async (_name, file) => {
    const path = contractSamplePath(file);
    const offline = await offlineFile(p, path);
    const res = await upload(g, readFileSync(path), { contentType: 'application/gzip', fileName: file, multipart: true });
    expect(res.status).toBe(202);
    const started = (await res.json()) as JobAnswer;
    expect(started.contract).toBe(offline.contract);
    const job = await finishedJob(g, started.id);
    expect(job).toMatchObject({ state: 'completed', error: null });
    expect(job.rows.accepted + job.rows.duplicates).toBe(offline.flows.length);
    expect(job.rows.rejected).toBe(offline.rejected);

    const csv = await (await fetch(`${g.url}/api/v1/jobs/${job.id}/results.csv`, { headers: { 'x-api-key': g.keys.viewer } })).text();
    const results = parseResults(csv);
    const expected = new Map(offline.flows.map((f) => [f.flowId, f]));
    expect(results.size).toBe(expected.size);
    const perClass = (entries: [string, string | null][]): Record<string, number> =>
      entries.reduce<Record<string, number>>((acc, [, c]) => (c ? { ...acc, [c]: (acc[c] ?? 0) + 1 } : acc), {});
    expect(perClass([...results].map(([id, r]) => [id, r.attackClass || null]))).toEqual(perClass([...expected].map(([id, f]) => [id, f.attackClass])));
    const mismatched = [...expected].filter(([id, f]) => (results.get(id)?.label === 'attack') !== f.isThreat);
    expect(mismatched).toEqual([]);
    await expectAlertEvidence(offline.contract, expected);
  }, 90_000);

  /** The file's threats' alerts show the flow's features exactly as parsed from the file, and the classifier's explanation. */
  async function expectAlertEvidence(contract: ContractId, expected: Map<string, OfflineFlow>): Promise<void> {
    // By flow id, not job: a sample that repeats another's rows finds the alerts the first upload stored.
    const threats = [...expected.values()].filter((f) => f.isThreat).slice(0, 5);
    expect(threats.length).toBeGreaterThan(0);
    const specs = getContract(contract).features;
    for (const flow of threats) {
      const res = await fetch(`${g.url}/api/v1/alerts/${flow.flowId}`, { headers: { 'x-api-key': g.keys.viewer } });
      expect(res.status).toBe(200);
      const alert = (await res.json()) as { features: Record<string, unknown> | null; explanation: { top: { feature: string }[] } | null };
      const want = Object.fromEntries(specs.map((f, i) => {
        const v = flow.features[i];
        if (Number.isNaN(v)) return [f.name, null];
        if (!Number.isFinite(v)) return [f.name, v > 0 ? 'Infinity' : '-Infinity'];
        return [f.name, f.vocabulary ? (f.vocabulary[v] ?? '(unknown)') : v];
      }));
      expect(alert.features).toEqual(want);
      expect(alert.explanation?.top.length).toBeGreaterThan(0);
    }
  }

  it('the same content uploaded again is answered with the first job, nothing counted twice', async () => {
    const body = readFileSync(contractSamplePath(CONTRACT_SAMPLES.westernoc2));
    const first = (await (await upload(g, body, { contentType: 'application/gzip' })).json()) as JobAnswer;
    const again = await upload(g, body, { contentType: 'application/gzip' });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ id: first.id, duplicate: true });
  });

  it('a WebSocket client sees an alert within 1 s of the upload that causes it', async () => {
    const csv = sampleCsv('nsl-kdd');
    const lines = [csv.header, ...Array.from({ length: csv.lines.length }, (_, k) => flowLine(csv, 700_000 + k))];
    const ws = new WebSocket(`${g.url.replace('http', 'ws')}/ws`, { headers: { 'x-api-key': g.keys.viewer } });
    const events: { channel?: string; type?: string; data?: { jobId?: string } }[] = [];
    ws.on('message', (raw) => events.push(JSON.parse(raw.toString()) as (typeof events)[number]));
    await expectEventually(async () => expect(events.some((e) => e.type === 'welcome')).toBe(true), { timeoutMs: 5_000 });
    const res = await upload(g, lines.join('\n'));
    const answeredAt = Date.now();
    const job = (await res.json()) as JobAnswer;
    const seenAt = await expectEventually(async () => {
      expect(events.some((e) => e.channel === 'alerts' && e.data?.jobId === job.id)).toBe(true);
      return Date.now();
    }, { timeoutMs: 10_000, intervalMs: 10 });
    expect(seenAt - answeredAt).toBeLessThan(1_000);
    expect(events.some((e) => e.channel === 'jobs' && e.data?.jobId === job.id)).toBe(true);
    ws.close();
  });

  it('POST /api/v1/flows?wait=true answers every record with its detection and, when flagged, its class', async () => {
    const csv = sampleCsv('nsl-kdd');
    const names = csv.header.split(',');
    const records = Array.from({ length: 40 }, (_, k) => Object.fromEntries(flowLine(csv, 800_000 + k).split(',').map((v, i) => [names[i], v])));
    records[3] = { ...records[3], src_bytes: 'lots' };
    const res = await fetch(`${g.url}/api/v1/flows?wait=true`, {
      method: 'POST', headers: { 'x-api-key': g.keys.operator, 'content-type': 'application/json' }, body: JSON.stringify({ contract: 'nsl-kdd', records }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { complete: boolean; accepted: number; rejected: number; results: { status: string; field?: string; detection?: { isThreat: boolean }; classification?: { attackClass: string } }[] };
    expect(body).toMatchObject({ complete: true, accepted: 39, rejected: 1 });
    expect(body.results[3]).toMatchObject({ status: 'rejected', field: 'src_bytes' });
    const accepted = body.results.filter((r) => r.status === 'accepted');
    expect(accepted.every((r) => r.detection !== undefined)).toBe(true);
    expect(accepted.filter((r) => r.detection?.isThreat).every((r) => typeof r.classification?.attackClass === 'string')).toBe(true);
  });
});
