// Hostile uploads against the real gateway and pipeline: each gets a precise error (before a row
// moves) or precise row errors, valid rows in the same file are kept, and nothing restarts.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { CONTRACT_SAMPLES, contractSamplePath } from '@vigil/contracts';
import { type Gateway, type JobAnswer, finishedJob, startGateway, upload } from './gateway.fixture';
import { type Pipeline, flowLine, openPipeline, sampleCsv } from './pipeline.fixture';

describe('gateway e2e: hostile uploads', () => {
  let p: Pipeline;
  let g: Gateway;
  const cic = sampleCsv('cicflowmeter');
  const names = cic.header.split(',');
  const rows = (from: number, n: number): string[] => Array.from({ length: n }, (_, k) => flowLine(cic, from + k));
  const column = (name: string): number => names.findIndex((c) => c.trim() === name);

  beforeAll(async () => {
    p = await openPipeline();
    await p.start('ingestion');
    await p.start('detection');
    await p.start('classification');
    g = await startGateway(p, { GATEWAY_JSON_LIMIT_BYTES: '2048' });
  }, 180_000);

  afterAll(() => p?.close());

  afterEach(async () => {
    for (const s of p.services) {
      expect((await fetch(`${s.service.url}/healthz`)).status).toBe(200);
      expect(s.service.logLines().filter((l) => l.level === 'fatal')).toEqual([]);
    }
  });

  const refused = async (res: Response, status: number, code: string): Promise<void> => {
    expect(res.status).toBe(status);
    expect(await res.json()).toMatchObject({ code, message: expect.any(String), correlationId: expect.any(String) });
  };

  it('an empty file, binary garbage, a header missing a column and a wrong content type are refused before any row moves', async () => {
    await refused(await upload(g, ''), 400, 'UPLOAD.EMPTY_FILE');
    await refused(await upload(g, '\n\n  \n'), 400, 'UPLOAD.EMPTY_FILE');
    await refused(await upload(g, Buffer.from(Array.from({ length: 4096 }, (_, i) => i % 256)), { contentType: 'application/octet-stream' }), 400, 'UPLOAD.NOT_TEXT');
    const drop = column('Flow Duration');
    const without = (line: string): string => line.split(',').filter((_, i) => i !== drop).join(',');
    await refused(await upload(g, [without(cic.header), ...rows(0, 5).map(without)].join('\n')), 400, 'CONTRACTS.MISSING_COLUMN');
    await refused(await upload(g, [cic.header, ...rows(0, 5)].join('\n'), { contentType: 'application/json' }), 415, 'HTTP.UNSUPPORTED_MEDIA_TYPE');
    await refused(await upload(g, '{"contract":"nsl-kdd"}', { contentType: 'image/png' }), 415, 'HTTP.UNSUPPORTED_MEDIA_TYPE');
  });

  it('quoted newlines, a 50,000-column line, wrong types and Infinity: row errors with line and column, every valid row kept and scored', async () => {
    const good = rows(10_000, 60);
    const lines = [cic.header, ...good.slice(0, 10)];
    const quoted = good[10].split(',');
    quoted[column('Destination Port')] = '"80\n443"';
    lines.push(quoted.join(','));                                    // lines 12 and 13 (the field's newline splits it)
    lines.push(Array.from({ length: 50_000 }, (_, i) => String(i)).join(','));  // line 14
    const wrongType = good[11].split(',');
    wrongType[column('Total Fwd Packets')] = 'many';
    lines.push(wrongType.join(','));                                 // line 15
    const infinite = good[12].split(',');
    infinite[column('Flow Bytes/s')] = 'Infinity';
    lines.push(infinite.join(','));                                  // line 16: real CIC files carry Infinity; it is a value
    lines.push(...good.slice(13));
    const res = await upload(g, gzipSync(lines.join('\n')), { contentType: 'application/gzip', fileName: 'hostile.csv.gz' });
    expect(res.status).toBe(202);
    const job = await finishedJob(g, ((await res.json()) as JobAnswer).id);
    expect(job.state).toBe('completed');
    expect(job.rows).toMatchObject({ accepted: 10 + 1 + 47, rejected: 4 });
    expect(job.errors.map((e) => [e.row, e.code])).toEqual([
      [12, 'CONTRACTS.UNTERMINATED_QUOTE'], [13, 'CONTRACTS.BAD_ENVELOPE'], [14, 'CONTRACTS.FIELD_COUNT'], [15, 'CONTRACTS.BAD_NUMBER'],
    ]);
    expect(job.errors[3].field?.trim()).toBe('Total Fwd Packets');
    expect(job.errors[2].reason.length).toBeLessThan(400);
    expect(job.predictions.flows).toBe(58);
    const all = await (await fetch(`${g.url}/api/v1/jobs/${job.id}/errors?limit=2`, { headers: { 'x-api-key': g.keys.viewer } })).json();
    expect(all).toMatchObject({ errors: [{ row: 12 }, { row: 13 }], nextAfterRow: 13 });
  });

  it('a truncated gzip keeps the rows before the damage and fails the job with the reason', async () => {
    const whole = gzipSync([cic.header, ...rows(20_000, 3_000)].join('\n'));
    const res = await upload(g, whole.subarray(0, Math.floor(whole.length * 0.6)), { contentType: 'application/gzip' });
    expect(res.status).toBe(202);
    const job = await finishedJob(g, ((await res.json()) as JobAnswer).id);
    expect(job).toMatchObject({ state: 'failed', error: { code: 'UPLOAD.BAD_GZIP' } });
    expect(job.rows.accepted).toBeGreaterThan(0);
    expect(job.rows.accepted).toBeLessThan(3_000);
  });

  it('oversize JSON bodies get a 413 envelope, malformed JSON a 400, and the samples still upload afterwards', async () => {
    const big = { contract: 'nsl-kdd', records: Array.from({ length: 200 }, () => ({ duration: 0 })) };
    await refused(await fetch(`${g.url}/api/v1/flows`, { method: 'POST', headers: { 'x-api-key': g.keys.operator, 'content-type': 'application/json' }, body: JSON.stringify(big) }), 413, 'HTTP.PAYLOAD_TOO_LARGE');
    await refused(await fetch(`${g.url}/api/v1/flows`, { method: 'POST', headers: { 'x-api-key': g.keys.operator, 'content-type': 'application/json' }, body: '{"contract":' }), 400, 'HTTP.MALFORMED_JSON');
    await refused(await fetch(`${g.url}/api/v1/flows`, { method: 'POST', headers: { 'x-api-key': g.keys.operator, 'content-type': 'application/json' }, body: '{"contract":"nope","records":[]}' }), 400, 'HTTP.INVALID_REQUEST');
    const res = await upload(g, readFileSync(contractSamplePath(CONTRACT_SAMPLES.nslKdd)), { contentType: 'application/gzip' });
    expect(res.status).toBe(202);
    expect((await finishedJob(g, ((await res.json()) as JobAnswer).id)).state).toBe('completed');
  });
});
