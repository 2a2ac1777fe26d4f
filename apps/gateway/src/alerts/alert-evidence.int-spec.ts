// The evidence behind an alert, through the real read model on a real Postgres: a detection
// result carrying real NSL-KDD rows (the committed sample) stores the flagged flows' features,
// the threat batch stores the explanation, and GET /alerts/{id}'s repository answers both;
// retention prunes them.
import { randomUUID } from 'node:crypto';
import { DEFAULT_DATABASE_URL, serviceSchemaName } from '@vigil/config';
import { CONTRACT_SAMPLES, contractSamplePath, decodeDetectionBatchMessage, encodeDetectionBatchMessage, type FlowBatch, getContract, readFlowFile, type ThreatBatch } from '@vigil/contracts';
import { createDataSource, migrationsFor, runMigrations } from '@vigil/database';
import { freshSchemaName } from '@vigil/testing';
import { ReadModelRepository } from '../read-model/read-model.repository';
import { detectionRows, threatRows } from '../read-model/read-model.service';
import { AlertsRepository } from './alerts.repository';

const prefix = `${freshSchemaName('evidence')}_`;
const schema = serviceSchemaName('gateway', prefix);
const db = createDataSource({ url: process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL, schema, migrations: migrationsFor('gateway'), poolSize: 2 });
const contract = getContract('nsl-kdd');
let batch: FlowBatch;

beforeAll(async () => {
  await db.initialize();
  await runMigrations({ dataSource: db });
  for await (const b of readFlowFile(contractSamplePath(CONTRACT_SAMPLES.nslKdd))) {
    batch = b;
    break;
  }
});
afterAll(async () => {
  await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await db.destroy();
});

const hex32 = (): string => randomUUID().replace(/-/g, '');

/** A detection result flagging rows `flagged` of the sample's first batch, and the threat batch classifying them. */
function results(flagged: number[], at: Date): { detection: ReturnType<typeof detectionRows>; threats: ReturnType<typeof threatRows>; flowIds: string[] } {
  const n = contract.features.length;
  const flowIds = Array.from({ length: 8 }, hex32);
  const rows = new Float32Array(flagged.length * n);
  flagged.forEach((r, k) => rows.set(batch.features.subarray(r * n, (r + 1) * n), k * n));
  const header = {
    batchId: hex32(), contract: { id: contract.id, version: contract.version }, sensor: 'int', ingestedAt: at.toISOString(), detectedAt: at.toISOString(),
    correlationId: 'c', model: { name: 'threat-detector-nsl-kdd', version: 1 }, threshold: 0.21, count: 8, featureCount: n, flowIds,
    envelopes: flowIds.map(() => ({ srcIp: '198.51.100.9' })), flagged,
  };
  const message = decodeDetectionBatchMessage(encodeDetectionBatchMessage({ header, attackProbabilities: new Float32Array(8).fill(0.9), flaggedFeatures: rows }));
  const threatBatch: ThreatBatch = {
    v: 1, batchId: header.batchId, contract: header.contract, sensor: 'int', ingestedAt: header.ingestedAt, detectedAt: header.detectedAt, classifiedAt: at.toISOString(),
    correlationId: 'c', detector: header.model, classifier: { name: 'attack-classifier-nsl-kdd', version: 1 },
    threats: flagged.map((i) => ({
      flowId: flowIds[i], envelope: { srcIp: '198.51.100.9' }, attackClass: 'DoS', probability: 0.8, top: [{ class: 'DoS', probability: 0.8 }], detectorProbability: 0.9,
      explanation: { method: 'saabas' as const, target: 'P(DoS | attack)', expectedValue: 0.3, top: [{ feature: 'src_bytes', value: batch.features[i * n + 4], contribution: 0.4 }] },
    })),
  };
  return { detection: detectionRows(message), threats: threatRows(threatBatch), flowIds };
}

describe('alert evidence in the read model (real Postgres)', () => {
  it('answers an alert with every feature of its flow by name, as parsed from the real row, and its explanation, whichever result lands first', async () => {
    const readModel = new ReadModelRepository(db);
    const alerts = new AlertsRepository(db);
    const r = results([1, 4], new Date());
    // The threat batch first: the alert exists before the detection result brings the features.
    await readModel.applyThreats(r.threats);
    expect((await alerts.get(r.flowIds[1]))?.features).toBeNull();
    expect(await readModel.applyDetection(r.detection)).toBe(true);
    for (const row of [1, 4]) {
      const alert = await alerts.get(r.flowIds[row]);
      const expected = Object.fromEntries(contract.features.map((f, i) => {
        const v = batch.features[row * contract.features.length + i];
        return [f.name, f.vocabulary ? f.vocabulary[v] : v];
      }));
      expect(alert?.features).toEqual(expected);
      expect(typeof alert?.features?.protocol_type).toBe('string');
      expect(alert?.explanation).toMatchObject({ method: 'saabas', target: 'P(DoS | attack)', top: [{ feature: 'src_bytes' }] });
    }
    // A row the detector did not flag stores nothing.
    const stored: { n: number }[] = await db.query('SELECT count(*)::int AS n FROM flow_features WHERE flow_id = $1', [r.flowIds[0]]);
    expect(stored[0].n).toBe(0);
  });

  it('prunes alerts and features past the retention, keeping newer ones', async () => {
    const readModel = new ReadModelRepository(db);
    const alerts = new AlertsRepository(db);
    const old = results([2], new Date(Date.now() - 40 * 86_400_000));
    const fresh = results([3], new Date());
    for (const r of [old, fresh]) {
      await readModel.applyDetection(r.detection);
      await readModel.applyThreats(r.threats);
    }
    const dropped = await readModel.pruneAlerts(new Date(Date.now() - 30 * 86_400_000));
    expect(dropped).toEqual({ alerts: 1, features: 1 });
    expect(await alerts.get(old.flowIds[2])).toBeNull();
    expect((await alerts.get(fresh.flowIds[3]))?.features).not.toBeNull();
  });
});
