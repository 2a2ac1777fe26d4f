import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { CONTRACT_SAMPLES, contractSamplePath, decodeFlowBatchMessage, pipelineTopology } from '@vigil/contracts';
import { RecentFlowIds } from './flow-identity.service';
import { FlowAdmitter } from './flow-intake.service';
import { FlowPublisher, type OutgoingBatch } from './flow-publisher.service';
import { IngestionService } from './ingestion.service';

class RecordingPublisher extends FlowPublisher {
  readonly batches: OutgoingBatch[] = [];
  failNext = false;
  publish(batches: readonly OutgoingBatch[]): Promise<void> {
    if (this.failNext) {
      this.failNext = false;
      return Promise.reject(new Error('no PubAck'));
    }
    this.batches.push(...batches);
    return Promise.resolve();
  }
}

function sampleLines(file: string): string[] {
  return gunzipSync(readFileSync(contractSamplePath(file))).toString('utf8').split(/\r?\n/).filter((l) => l !== '');
}

/** Real improved-CIC-IDS2017 rows as JSON objects keyed by the file's own column names. */
function improvedRecords(): Record<string, string>[] {
  const [header, ...rows] = sampleLines(CONTRACT_SAMPLES.improved);
  const keys = header.split(',');
  return rows.map((line) => Object.fromEntries(line.split(',').map((v, i) => [keys[i], v])));
}

describe('IngestionService', () => {
  let publisher: RecordingPublisher;
  let service: IngestionService;
  const ctx = { sensor: 's1', correlationId: 'c1' };

  beforeEach(() => {
    publisher = new RecordingPublisher();
    service = new IngestionService(new FlowAdmitter({ publisher, recent: new RecentFlowIds(10_000), topology: pipelineTopology('t1'), batchMaxFlows: 100 }));
  });

  it('answers every JSON record: good ones accepted and published in batches, each bad one with row, field and reason', async () => {
    const records: unknown[] = improvedRecords().slice(0, 250);
    const protocolKey = 'Protocol';
    records[3] = { ...(records[3] as object), 'Flow Duration': true };
    const missing = { ...(records[7] as Record<string, string>) };
    delete missing['Total Fwd Packet'];
    records[7] = missing;
    records[9] = 'not an object';
    records[11] = { ...(records[11] as object), 'Flow Bytes/s': 'fast' };
    records[13] = { ...(records[13] as object), [protocolKey]: '700' };
    const reply = await service.submitRecords({ contract: 'cicflowmeter', records }, ctx);
    expect(reply.results).toHaveLength(250);
    const bad = reply.results.filter((r) => r.status === 'rejected');
    expect(bad.map((r) => [r.row, r.field, r.code])).toEqual([
      [4, 'Flow Duration', 'INGESTION.WRONG_TYPE'],
      [8, 'Total Fwd Packet', 'INGESTION.MISSING_FIELD'],
      [10, undefined, 'INGESTION.NOT_AN_OBJECT'],
      [12, 'Flow Bytes/s', 'CONTRACTS.BAD_NUMBER'],
      [14, 'Protocol', 'CONTRACTS.BAD_ENVELOPE'],
    ]);
    expect(bad.every((r) => (r.reason ?? '').length > 0)).toBe(true);
    expect(reply.accepted + reply.duplicates).toBe(245);
    const published = publisher.batches.map((b) => decodeFlowBatchMessage(b.payload));
    expect(published.map((m) => m.header.count)).toEqual([100, 100, reply.accepted - 200]);
    expect(publisher.batches.every((b) => b.subject === 't1.flows.cicflowmeter')).toBe(true);
    expect(new Set(published.flatMap((m) => m.header.flowIds)).size).toBe(reply.accepted);
  });

  it('gives a re-sent record the same flow id and does not publish it twice; a failed publish can be retried', async () => {
    const records = improvedRecords().slice(0, 20);
    publisher.failNext = true;
    await expect(service.submitRecords({ contract: 'cicflowmeter', records }, ctx)).rejects.toThrow('no PubAck');
    const first = await service.submitRecords({ contract: 'cicflowmeter', records }, ctx);
    expect(first.accepted).toBe(20);
    const again = await service.submitRecords({ contract: 'cicflowmeter', records: records.slice(5, 10) }, ctx);
    expect(again.results.map((r) => r.status)).toEqual(Array(5).fill('duplicate'));
    expect(again.results.map((r) => r.flowId)).toEqual(first.results.slice(5, 10).map((r) => r.flowId));
    expect(publisher.batches).toHaveLength(1);
  });

  it('accepts a category outside the vocabulary (the contract codes it <unknown>) and says so', async () => {
    const [line] = sampleLines(CONTRACT_SAMPLES.nslKdd);
    const fields = line.split(',');
    fields[2] = 'tftp_x';
    const report = await service.ingestText({ contract: 'nsl-kdd', text: fields.join(','), ...ctx });
    expect(report.accepted).toBe(1);
    const reply = await service.submitRecords({ contract: 'nsl-kdd', records: [{ ...nslRecord(sampleLines(CONTRACT_SAMPLES.nslKdd)[1]), flag: 'XX' }] }, ctx);
    expect(reply.results[0]).toMatchObject({ status: 'accepted', warnings: [{ field: 'flag', code: 'CONTRACTS.UNKNOWN_CATEGORY' }] });
  });

  it('reads a CSV stream with a malformed row and a 10 MB single line: good rows through, bad ones reported, reasons cut short', async () => {
    const lines = sampleLines(CONTRACT_SAMPLES.mlcve);
    const huge = 'x'.repeat(10 * 1024 * 1024);
    const text = [lines[0], ...lines.slice(1, 50), '1,2,three', huge, ...lines.slice(50, 100)].join('\n') + '\n';
    const progress: number[] = [];
    const report = await service.ingestStream(Readable.from([Buffer.from(text)]), { ...ctx, batchSize: 32, onProgress: (c) => progress.push(c.rows) });
    expect(report).toMatchObject({ contract: 'cicflowmeter', rows: 101, rejected: 2 });
    expect(report.accepted + report.duplicates).toBe(99);
    expect(report.errors.map((e) => e.row)).toEqual([51, 52]);
    expect(report.errors.every((e) => e.reason.length < 400)).toBe(true);
    expect(progress[progress.length - 1]).toBe(101);
  });

  it('reads JSON lines and CSV chunks with a header given out of band', async () => {
    const [header, ...rows] = sampleLines(CONTRACT_SAMPLES.mlcve);
    const chunk = await service.ingestText({ contract: 'cicflowmeter', text: rows.slice(0, 10).join('\n'), csvHeader: header, ...ctx });
    expect(chunk).toMatchObject({ rows: 10, accepted: 10, rejected: 0 });
    const jsonLines = [JSON.stringify(improvedRecords()[0]), '{"broken', JSON.stringify(improvedRecords()[1])].join('\n');
    const report = await service.ingestText({ contract: 'cicflowmeter', text: jsonLines, ...ctx });
    expect(report).toMatchObject({ rows: 3, accepted: 2, rejected: 1, errors: [{ row: 2, code: 'INGESTION.MALFORMED_JSON' }] });
  });
});

function nslRecord(line: string): Record<string, string> {
  const names = ['duration', 'protocol_type', 'service', 'flag'];
  const values = line.split(',');
  const record: Record<string, string> = {};
  const all = [...names, ...NSL_REST];
  all.forEach((n, i) => (record[n] = values[i]));
  record.label = values[41];
  return record;
}

const NSL_REST = [
  'src_bytes', 'dst_bytes', 'land', 'wrong_fragment', 'urgent', 'hot', 'num_failed_logins', 'logged_in', 'num_compromised', 'root_shell',
  'su_attempted', 'num_root', 'num_file_creations', 'num_shells', 'num_access_files', 'num_outbound_cmds', 'is_host_login', 'is_guest_login',
  'count', 'srv_count', 'serror_rate', 'srv_serror_rate', 'rerror_rate', 'srv_rerror_rate', 'same_srv_rate', 'diff_srv_rate',
  'srv_diff_host_rate', 'dst_host_count', 'dst_host_srv_count', 'dst_host_same_srv_rate', 'dst_host_diff_srv_rate',
  'dst_host_same_src_port_rate', 'dst_host_srv_diff_host_rate', 'dst_host_serror_rate', 'dst_host_srv_serror_rate', 'dst_host_rerror_rate',
  'dst_host_srv_rerror_rate',
];
