import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { SAMPLES, samplePath } from './contracts-test.fixture';
import { type FlowBatch } from './contract.types';
import { readFlowFile, readFlowStream } from './flow-file.reader';

async function collect(batches: AsyncIterable<FlowBatch>) {
  const all: FlowBatch[] = [];
  for await (const b of batches) all.push(b);
  return {
    batches: all,
    count: all.reduce((n, b) => n + b.count, 0),
    errors: all.flatMap((b) => b.errors),
    labels: new Set(all.flatMap((b) => b.labels.map((l) => `${l?.label}|${l?.family}`))),
    raw: new Set(all.flatMap((b) => b.labels.map((l) => l?.raw))),
  };
}

const sampleText = (name: string): Buffer => gunzipSync(readFileSync(samplePath(name)));

describe('readFlowFile on the committed samples', () => {
  it.each([
    [SAMPLES.nslKdd, 'nsl-kdd/unb-text', 352, 23],
    [SAMPLES.mlcve, 'cicflowmeter/cic-ids2017-mlcve', 176, 8],
    [SAMPLES.mlcveCp1252, 'cicflowmeter/cic-ids2017-mlcve', 176, 8],
    [SAMPLES.westernoc2, 'cicflowmeter/cic-ids2017-mlcve-stripped', 125, 5],
    [SAMPLES.improved, 'cicflowmeter/cic-ids2017-improved', 293, 16],
    [SAMPLES.cse2018, 'cicflowmeter/cse-cic-ids2018', 293, 16],
  ])('%s parses as %s with zero errors, every class canonical', async (sample, variant, rows, classes) => {
    const reader = readFlowFile(samplePath(sample), { batchSize: 100 });
    const result = await collect(reader);
    expect(reader.detection?.variant).toBe(variant);
    expect(result.errors).toEqual([]);
    expect(result.count).toBe(rows);
    expect(result.raw.size).toBe(classes);
    expect(result.batches.map((b) => b.count)).toEqual([...Array<number>(Math.floor(rows / 100)).fill(100), rows % 100]);
    expect(result.batches.every((b) => b.labels.every((l) => l !== null))).toBe(true);
  });

  it('maps the raw 0x96 dash to the same web-attack labels as the en dash', async () => {
    const utf8 = await collect(readFlowFile(samplePath(SAMPLES.mlcve)));
    const cp1252 = await collect(readFlowFile(samplePath(SAMPLES.mlcveCp1252)));
    expect([...cp1252.labels].sort()).toEqual([...utf8.labels].sort());
    expect(cp1252.labels).toContain('Web Attack - Brute Force|WebAttack');
    expect([...cp1252.raw]).toContain('Web Attack \uFFFD Brute Force');
  });

  it('reads plain text with a BOM, CRLF and blank lines, numbering rows by file line', async () => {
    const lines = sampleText(SAMPLES.westernoc2).toString('utf8').split('\n').slice(0, 4);
    const text = '\uFEFF' + [lines[0], lines[1], '', lines[2], '   ', lines[3]].join('\r\n') + '\r\n\r\n';
    const result = await collect(readFlowStream(Readable.from([Buffer.from(text)])));
    expect(result.errors).toEqual([]);
    expect(Array.from(result.batches[0].rowNumbers)).toEqual([2, 4, 6]);
  });

  it('detects gzip by magic bytes whatever the chunking', async () => {
    const gz = gzipSync(sampleText(SAMPLES.improved));
    const chunks = Array.from({ length: Math.ceil(gz.length / 777) }, (_, i) => gz.subarray(i * 777, (i + 1) * 777));
    const result = await collect(readFlowStream(Readable.from(chunks), { batchSize: 64 }));
    expect(result.errors).toEqual([]);
    expect(result.count).toBe(293);
  });

  it('keeps a newline inside a quoted field within its row', async () => {
    const [header, row] = sampleText(SAMPLES.improved).toString('utf8').split('\n');
    const cells = row.split(',');
    cells[2] = '"172.16.0.1\n"';
    const text = [header, cells.join(','), row].join('\n');
    const result = await collect(readFlowStream(Readable.from([Buffer.from(text)])));
    expect(result.errors).toEqual([]);
    expect(Array.from(result.batches[0].rowNumbers)).toEqual([2, 4]);
  });

  it('rejects an empty file', async () => {
    await expect(collect(readFlowStream(Readable.from([Buffer.from('\n\n')])))).rejects.toMatchObject({ code: 'CONTRACTS.UNKNOWN_FORMAT' });
  });
});
