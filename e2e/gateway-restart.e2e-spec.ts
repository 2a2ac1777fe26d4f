// A gateway restart does not fail running upload jobs. Real processes (ingestion, detection,
// classification, gateways) on one private pipeline prefix: ingestion is stopped so an upload is
// certainly mid-send (one chunk on JetStream, the rest waiting on backpressure); the gateway stops
// gracefully (job still `ingesting`, spooled file kept, lease released); ingestion comes back and
// records the chunk it was sent; a NEW gateway process on the same schema and spool directory
// resumes sending after that chunk, and the job completes with exactly the counts and per-class
// alerts the offline models give for the file (as the uninterrupted uploads in
// gateway.e2e-spec.ts). A gateway without the spooled file (a new pod) fails such a job with
// UPLOAD.SPOOL_LOST, and the same file can be uploaded again.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_DATABASE_URL, serviceSchemaName } from '@vigil/config';
import { CONTRACT_SAMPLES, contractSamplePath } from '@vigil/contracts';
import { createDataSource } from '@vigil/database';
import { expectEventually, type MigratedService, type ServiceProcess, startService } from '@vigil/testing';
import { type Gateway, type JobAnswer, finishedJob, offlineFile, parseResults, startGateway, upload } from './gateway.fixture';
import { type Pipeline, openPipeline, streamMessages } from './pipeline.fixture';

const CHUNK_BYTES = 64 * 1024;

async function query<T>(schema: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const db = createDataSource({ url: process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL, schema, poolSize: 1 });
  await db.initialize();
  try {
    return (await db.query(sql, params)) as T[];
  } finally {
    await db.destroy();
  }
}

async function ready(service: ServiceProcess): Promise<void> {
  await expectEventually(async () => expect((await fetch(`${service.url}/readyz`)).status).toBe(200), { timeoutMs: 20_000 });
}

describe('gateway e2e: a restart resumes running upload jobs', () => {
  let p: Pipeline;
  let ingestion: MigratedService;
  let g1: Gateway;
  const extra: ServiceProcess[] = [];
  const spoolDir = mkdtempSync(path.join(tmpdir(), 'vigil-spool-'));
  const gatewayEnv = {
    GATEWAY_UPLOAD_SPOOL_DIR: spoolDir, GATEWAY_UPLOAD_CHUNK_BYTES: String(CHUNK_BYTES), GATEWAY_UPLOAD_IN_FLIGHT: '1', GATEWAY_UPLOAD_LEASE_MS: '2000',
  };
  const ingestionEnv = (): Record<string, string> => ({
    PIPELINE_PREFIX: p.topology.prefix, LOG_LEVEL: 'warn', INGEST_DEDUP_CAPACITY: '0', DATABASE_SCHEMA_PREFIX: ingestion.schemaPrefix,
  });
  const gatewaySchema = (): string => serviceSchemaName('gateway', g1.service.schemaPrefix);
  /** Another gateway process on the first one's schema (its keys and jobs). */
  const nextGateway = async (env: Record<string, string>): Promise<Gateway & { process: ServiceProcess }> => {
    const process = await startService({
      app: 'gateway',
      env: { PIPELINE_PREFIX: p.topology.prefix, LOG_LEVEL: 'info', GATEWAY_RATE_LIMIT_PER_SECOND: '1000', GATEWAY_RATE_LIMIT_BURST: '5000', DATABASE_SCHEMA_PREFIX: g1.service.schemaPrefix, ...gatewayEnv, ...env },
    });
    extra.push(process);
    await ready(process);
    return { service: g1.service, url: process.url, keys: g1.keys, process };
  };
  /** Stops ingestion, uploads `file` to `g` and returns once its first chunk is on JetStream (the rest wait on backpressure). */
  const uploadMidSend = async (g: Gateway, file: string): Promise<JobAnswer> => {
    const before = await streamMessages(p, p.topology.streams.INGEST.name);
    const res = await upload(g, readFileSync(contractSamplePath(file)), { contentType: 'application/gzip', fileName: file });
    expect(res.status).toBe(202);
    const job = (await res.json()) as JobAnswer;
    await expectEventually(async () => expect(await streamMessages(p, p.topology.streams.INGEST.name)).toBe(before + 1), { timeoutMs: 10_000 });
    return job;
  };

  beforeAll(async () => {
    p = await openPipeline();
    ingestion = await p.start('ingestion', { INGEST_DEDUP_CAPACITY: '0' });
    await p.start('detection');
    await p.start('classification');
    g1 = await startGateway(p, gatewayEnv);
  }, 180_000);

  afterAll(async () => {
    for (const s of extra.reverse()) await s.stop('SIGKILL');
    await p?.close();
    rmSync(spoolDir, { recursive: true, force: true });
  });

  it('stop mid-send, a new gateway resumes after the chunks ingestion recorded; the job completes with the offline counts and classes', async () => {
    const file = CONTRACT_SAMPLES.improved;
    const offline = await offlineFile(p, contractSamplePath(file));
    expect(await ingestion.service.stop('SIGTERM')).toBe(0);
    const started = await uploadMidSend(g1, file);

    expect(await g1.service.service.stop('SIGTERM')).toBe(0);
    const [paused] = await query<{ state: string; error: unknown; chunks_total: number | null; released: boolean }>(
      gatewaySchema(), 'SELECT state, error, chunks_total, lease_expires_at <= now() AS released FROM upload_jobs WHERE id = $1', [started.id],
    );
    expect(paused).toEqual({ state: 'ingesting', error: null, chunks_total: null, released: true });
    expect(existsSync(path.join(spoolDir, `${started.id}.upload`))).toBe(true);

    // Ingestion comes back and processes the chunk it was sent: the resume point is 1, not 0.
    extra.push(await startService({ app: 'ingestion', env: ingestionEnv() }));
    const ingestionSchema = serviceSchemaName('ingestion', ingestion.schemaPrefix);
    await expectEventually(async () => {
      const [row] = await query<{ chunks: number }>(ingestionSchema, 'SELECT chunks FROM upload_jobs WHERE id = $1', [started.id]);
      expect(row?.chunks).toBe(1);
    }, { timeoutMs: 20_000 });

    const g2 = await nextGateway({});
    const job = await finishedJob(g2, started.id, 90_000);
    expect(g2.process.logLines().filter((l) => l.msg === 'resuming unfinished upload job').map((l) => ({ jobId: l.jobId, fromChunk: l.fromChunk })))
      .toEqual([{ jobId: started.id, fromChunk: 1 }]);
    expect(job).toMatchObject({ state: 'completed', error: null, contract: offline.contract });
    expect(job.rows).toEqual({ read: offline.flows.length + offline.rejected, accepted: offline.flows.length, duplicates: 0, rejected: offline.rejected });
    const [{ chunks }] = await query<{ chunks: number }>(ingestionSchema, 'SELECT chunks FROM upload_jobs WHERE id = $1', [started.id]);
    const [{ chunks_total }] = await query<{ chunks_total: number }>(gatewaySchema(), 'SELECT chunks_total FROM upload_jobs WHERE id = $1', [started.id]);
    expect({ recorded: chunks, total: chunks_total, several: chunks_total > 1 }).toEqual({ recorded: chunks_total, total: chunks_total, several: true });

    const expectedThreats = offline.flows.filter((f) => f.isThreat).length;
    expect(job.predictions).toEqual({ flows: offline.flows.length, threats: expectedThreats });
    const csv = await (await fetch(`${g2.url}/api/v1/jobs/${job.id}/results.csv`, { headers: { 'x-api-key': g2.keys.viewer } })).text();
    const results = parseResults(csv);
    expect(results.size).toBe(offline.flows.length);
    const perClass = (classes: (string | null)[]): Record<string, number> => classes.reduce<Record<string, number>>((acc, c) => (c ? { ...acc, [c]: (acc[c] ?? 0) + 1 } : acc), {});
    expect(perClass([...results.values()].map((r) => r.attackClass || null))).toEqual(perClass(offline.flows.map((f) => f.attackClass)));
    expect(offline.flows.filter((f) => (results.get(f.flowId)?.label === 'attack') !== f.isThreat)).toEqual([]);
    // The finished job's spooled file is gone.
    expect(existsSync(path.join(spoolDir, `${started.id}.upload`))).toBe(false);
    await g2.process.stop('SIGTERM');
  }, 240_000);

  it('a gateway without the spooled file (a new pod) fails the job with UPLOAD.SPOOL_LOST, and the file can be uploaded again', async () => {
    const file = CONTRACT_SAMPLES.cse2018;
    const g3 = await nextGateway({});
    await extra.find((s) => s.app === 'ingestion')?.stop('SIGTERM');
    const started = await uploadMidSend(g3, file);
    expect(await g3.process.stop('SIGTERM')).toBe(0);

    const emptySpool = mkdtempSync(path.join(tmpdir(), 'vigil-spool-'));
    try {
      const g4 = await nextGateway({ GATEWAY_UPLOAD_SPOOL_DIR: emptySpool, GATEWAY_UPLOAD_ORPHAN_GRACE_MS: '1000' });
      const job = await finishedJob(g4, started.id, 30_000);
      expect(job).toMatchObject({ state: 'failed', error: { code: 'UPLOAD.SPOOL_LOST', message: expect.stringContaining('upload the file again') } });
      const again = await upload(g4, readFileSync(contractSamplePath(file)), { contentType: 'application/gzip', fileName: file });
      expect(again.status).toBe(202);
      expect(await again.json()).toMatchObject({ duplicate: false, state: 'ingesting' });
      await g4.process.stop('SIGTERM');
    } finally {
      rmSync(emptySpool, { recursive: true, force: true });
    }
  }, 120_000);
});
