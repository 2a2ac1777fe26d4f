// An upload chunk whose job record cannot be written (Postgres refuses: here its table is
// renamed away for longer than the old 5-delivery budget of ~7.5 s) is retried until the
// record goes in, and then counts exactly as if nothing had happened: every row accepted (not
// as duplicates of its own first try), its flows stored once, nothing dead-lettered. Real
// ingestion process, real NATS JetStream and Postgres, the committed NSL-KDD sample.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { headers } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { CONTRACT_SAMPLES, UPLOAD_HEADERS, contractSamplePath, pipelineTopology } from '@vigil/contracts';
import { createDataSource } from '@vigil/database';
import { DEFAULT_DATABASE_URL } from '@vigil/config';
import { type MigratedService, deletePipelineStreams, expectEventually, startMigratedService, uniqueName } from '@vigil/testing';

const prefix = uniqueName('outage').replace(/[^A-Za-z0-9_-]/g, '').slice(0, 24);
const topology = pipelineTopology(prefix);
const OUTAGE_MS = 10_000;

describe('upload chunk during a Postgres outage of its job tables', () => {
  let running: MigratedService;

  beforeAll(async () => {
    running = await startMigratedService({ app: 'ingestion', env: { PIPELINE_PREFIX: prefix, LOG_LEVEL: 'error' } });
  }, 60_000);

  afterAll(async () => {
    await running?.cleanup();
    await deletePipelineStreams(prefix);
  });

  it('is retried past the outage and counts every row accepted once, nothing dead-lettered', async () => {
    const lines = gunzipSync(readFileSync(contractSamplePath(CONTRACT_SAMPLES.nslKdd))).toString('utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
    // Rows equal in their 41 features are one flow (content-hash flow ids): the rest are duplicates.
    const distinct = new Set(lines.map((l) => l.split(',').slice(0, 41).join(','))).size;
    const db = createDataSource({ url: process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL, schema: running.schema, poolSize: 1 });
    await db.initialize();
    const nc = await connect({ servers: process.env.NATS_URL ?? 'nats://127.0.0.1:4222' });
    try {
      await db.query(`ALTER TABLE "${running.schema}".upload_jobs RENAME TO upload_jobs_away`);
      const jobId = randomUUID();
      const h = headers();
      h.set(UPLOAD_HEADERS.JobId, jobId);
      h.set(UPLOAD_HEADERS.ChunkSeq, '0');
      h.set(UPLOAD_HEADERS.RowOffset, '0');
      h.set(UPLOAD_HEADERS.FileName, 'nsl-kdd-train.txt');
      await jetstream(nc).publish(topology.subjects.ingest('nsl-kdd'), lines.join('\n'), { headers: h, msgID: `${jobId}:0` });
      await new Promise((r) => setTimeout(r, OUTAGE_MS));
      await db.query(`ALTER TABLE "${running.schema}".upload_jobs_away RENAME TO upload_jobs`);

      await expectEventually(async () => {
        const [job] = (await db.query(`SELECT chunks, rows_total, rows_accepted, rows_duplicate, rows_rejected FROM "${running.schema}".upload_jobs WHERE id = $1`, [jobId])) as Record<string, number>[];
        expect(job).toEqual({ chunks: 1, rows_total: lines.length, rows_accepted: distinct, rows_duplicate: lines.length - distinct, rows_rejected: 0 });
      }, { timeoutMs: 60_000, intervalMs: 250 });
      const jsm = await jetstreamManager(nc);
      const flows = (await jsm.streams.info(topology.streams.FLOWS.name)).state;
      expect(flows.messages).toBe(1); // 352 rows < one 512-flow batch: stored once despite the retries
      expect((await jsm.streams.info(topology.streams.DLQ.name)).state.messages).toBe(0);
      const consumer = await jsm.consumers.info(topology.streams.INGEST.name, 'ingestion');
      // Delivered more often than the old budget of 5 allowed, and settled.
      expect(consumer.delivered.consumer_seq).toBeGreaterThan(5);
      expect(consumer.num_ack_pending).toBe(0);
    } finally {
      await db.query(`ALTER TABLE IF EXISTS "${running.schema}".upload_jobs_away RENAME TO upload_jobs`).catch(() => undefined);
      await db.destroy();
      await nc.close();
    }
  }, 120_000);
});
