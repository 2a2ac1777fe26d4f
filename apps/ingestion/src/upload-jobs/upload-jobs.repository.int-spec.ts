// Chunks of one upload job recorded at the same time (ingestion handles INGEST_CONCURRENCY
// messages at once) on the real Postgres: every chunk counts once, none fails on a deadlock.
import { randomUUID } from 'node:crypto';
import { DEFAULT_DATABASE_URL, serviceSchemaName } from '@vigil/config';
import { createDataSource, migrationsFor, runMigrations } from '@vigil/database';
import { freshSchemaName } from '@vigil/testing';
import { UploadJobsRepository } from './upload-jobs.repository';

const schema = serviceSchemaName('ingestion', `${freshSchemaName('chunks')}_`);
const db = createDataSource({ url: process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL, schema, migrations: migrationsFor('ingestion'), poolSize: 8 });

beforeAll(async () => {
  await db.initialize();
  await runMigrations({ dataSource: db });
});
afterAll(async () => {
  await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await db.destroy();
});

describe('upload job chunks recorded concurrently (real Postgres)', () => {
  it('counts every chunk of a job once when many are recorded at the same time, and a repeat not at all', async () => {
    const repository = new UploadJobsRepository(db);
    const jobId = randomUUID();
    const chunk = (seq: number) => ({
      jobId, seq, contract: 'nsl-kdd', fileName: 'capture.csv', counters: { rows: 10, accepted: 8, duplicates: 1, rejected: 1 },
      errors: [{ row: seq * 10 + 2, field: 'duration', code: 'CONTRACTS.NOT_A_NUMBER', reason: 'not a number' }],
    });
    const outcomes = await Promise.all(Array.from({ length: 40 }, (_, seq) => repository.recordChunk(chunk(seq % 32))));
    expect(outcomes.filter((o) => o.applied)).toHaveLength(32);
    const job = await repository.get(jobId);
    expect(job).toMatchObject({ chunks: 32, storedErrors: 32, counters: { rows: 320, accepted: 256, duplicates: 32, rejected: 32 } });
  });
});
