import { randomUUID } from 'node:crypto';
import { DEFAULT_DATABASE_URL, serviceSchemaName } from '@vigil/config';
import { createDataSource, migrationsFor, runMigrations } from '@vigil/database';
import { freshSchemaName } from '@vigil/testing';
import { ReadModelRepository } from '../read-model/read-model.repository';
import { type PredictionRow } from '../read-model/read-model.service';
import { jobCompletion } from './job-completion.policy';
import { UploadsRepository } from './uploads.repository';

const prefix = `${freshSchemaName('jobdone')}_`;
const schema = serviceSchemaName('gateway', prefix);
const db = createDataSource({ url: process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL, schema, migrations: migrationsFor('gateway'), poolSize: 2 });

beforeAll(async () => {
  await db.initialize();
  await runMigrations({ dataSource: db });
});
afterAll(async () => {
  await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await db.destroy();
});

const detector = 'detector@1';
const classifier = 'classifier@1';

function detected(jobId: string, flowId: string, isThreat: boolean): PredictionRow {
  return { jobId, flowId, contract: 'nsl-kdd', isThreat, probability: isThreat ? 0.97 : 0.02, detector, attackClass: null, classProbability: null, classifier: null };
}

function classified(jobId: string, flowId: string): PredictionRow {
  return { jobId, flowId, contract: 'nsl-kdd', isThreat: true, probability: 0.97, detector, attackClass: 'DoS', classProbability: 0.9, classifier };
}

describe('job completion over the read model (real Postgres)', () => {
  it('keeps a job with flagged rows from completing until their threat results are stored, counting redeliveries once', async () => {
    const readModel = new ReadModelRepository(db);
    const uploads = new UploadsRepository(db);
    const jobId = randomUUID();
    const verdict = async () => jobCompletion({ accepted: 4, counts: await uploads.countPredictions(jobId), waitedMs: 0, graceMs: 60_000 });

    const detection = { batchId: `${jobId}:d0`, counts: [], predictions: [detected(jobId, 'f1', true), detected(jobId, 'f2', true), detected(jobId, 'f3', false), detected(jobId, 'f4', false)] };
    expect(await readModel.applyDetection(detection)).toBe(true);
    expect(await uploads.countPredictions(jobId)).toEqual({ flows: 4, threats: 0, classificationPending: 2 });
    expect(await verdict()).toEqual({ done: false, classificationPending: 2 });

    const firstThreat = { batchId: `${jobId}:c0`, counts: [], alerts: [], predictions: [classified(jobId, 'f1')] };
    await readModel.applyThreats(firstThreat);
    await readModel.applyThreats(firstThreat);
    expect(await readModel.applyDetection(detection)).toBe(false);
    expect(await uploads.countPredictions(jobId)).toEqual({ flows: 4, threats: 1, classificationPending: 1 });
    expect((await verdict()).done).toBe(false);

    await readModel.applyThreats({ batchId: `${jobId}:c1`, counts: [], alerts: [], predictions: [classified(jobId, 'f2')] });
    expect(await uploads.countPredictions(jobId)).toEqual({ flows: 4, threats: 2, classificationPending: 0 });
    expect(await verdict()).toEqual({ done: true, classificationPending: 0 });
  });

  it('counts a threat result that lands before its detection result as classified, not pending', async () => {
    const readModel = new ReadModelRepository(db);
    const uploads = new UploadsRepository(db);
    const jobId = randomUUID();
    await readModel.applyThreats({ batchId: `${jobId}:c0`, counts: [], alerts: [], predictions: [classified(jobId, 'f1')] });
    await readModel.applyDetection({ batchId: `${jobId}:d0`, counts: [], predictions: [detected(jobId, 'f1', true), detected(jobId, 'f2', false)] });
    const counts = await uploads.countPredictions(jobId);
    expect(counts).toEqual({ flows: 2, threats: 1, classificationPending: 0 });
    expect(jobCompletion({ accepted: 2, counts, waitedMs: 0, graceMs: 60_000 }).done).toBe(true);
  });
});
