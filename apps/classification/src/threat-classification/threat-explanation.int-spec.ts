// Threats from a real classification process carry a Saabas explanation for the class they
// name, and it is the model's: the same attribution recomputed here with @vigil/ml from the
// shipped model's ONNX file, whose expected value + every contribution is the model's output
// for that class (walker) within 1e-6. Real rows: the committed samples of both contracts.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { type ContractId, type ThreatBatch, decodeThreatBatchMessage, encodeDetectionBatchMessage, getContract, pipelineTopology } from '@vigil/contracts';
import { defaultModelsDir, readSampleRows } from '@vigil/inference';
import { createModelExplainer, createModelInput, isGatedOnnx, predictProba, readOnnxGatedEnsemble, readOnnxTreeEnsemble } from '@vigil/ml';
import { type MigratedService, expectEventually, startMigratedService, uniqueName } from '@vigil/testing';

const prefix = uniqueName('explain').replace(/[^A-Za-z0-9_-]/g, '').slice(0, 24);
const topology = pipelineTopology(prefix);
const ROWS = 120;
const CONTRACTS: ContractId[] = ['nsl-kdd', 'cicflowmeter'];

function shipped(contract: ContractId): { onnx: Uint8Array; manifest: { version: number; features: string[]; classLabels: string[]; homeNet?: string[] } } {
  const dir = path.join(defaultModelsDir(), `attack-classifier-${contract}`, '1');
  return { onnx: new Uint8Array(readFileSync(path.join(dir, 'model.onnx'))), manifest: JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) };
}

describe('threat explanations from a real classification process', () => {
  let running: MigratedService;
  const nc = connect({ servers: process.env.NATS_URL ?? 'nats://127.0.0.1:4222' });

  beforeAll(async () => {
    running = await startMigratedService({ app: 'classification', env: { PIPELINE_PREFIX: prefix, MODEL_SOURCE: 'files', LOG_LEVEL: 'warn' } });
    await expectEventually(async () => expect((await fetch(`${running.service.url}/readyz`)).status).toBe(200), { timeoutMs: 30_000 });
  });

  afterAll(async () => {
    await running.cleanup();
    const jsm = await jetstreamManager(await nc);
    for (const s of Object.values(topology.streams)) await jsm.streams.delete(s.name).catch(() => false);
    await (await nc).close();
  });

  it('carries the top 5 Saabas features of the named class, additive to the model output within 1e-6', async () => {
    const js = jetstream(await nc);
    const rows = new Map<ContractId, Awaited<ReturnType<typeof readSampleRows>>>();
    for (const contract of CONTRACTS) {
      const sample = await readSampleRows(contract);
      rows.set(contract, sample);
      const width = getContract(contract).features.length;
      const now = new Date().toISOString();
      const flowIds = Array.from({ length: ROWS }, (_, i) => `${prefix}-${contract}-${i}`);
      const payload = encodeDetectionBatchMessage({
        header: {
          batchId: `${prefix}-${contract}`, contract: { id: contract, version: getContract(contract).version }, sensor: 'test', ingestedAt: now, detectedAt: now,
          correlationId: prefix, model: { name: `threat-detector-${contract}`, version: 1 }, threshold: 0.5, count: ROWS, featureCount: width, flowIds,
          envelopes: sample.envelopes.slice(0, ROWS).map((e, i) => ({ ...e, flowId: flowIds[i] })), flagged: Array.from({ length: ROWS }, (_, i) => i),
        },
        attackProbabilities: new Float32Array(ROWS).fill(0.9), flaggedFeatures: sample.features.subarray(0, ROWS * width),
      });
      await js.publish(topology.subjects.detections(contract), payload, { msgID: `${prefix}-${contract}` });
    }
    const batches = await expectEventually(async () => {
      const jsm = await jetstreamManager(await nc);
      const info = await jsm.streams.info(topology.streams.THREATS.name);
      expect(info.state.messages).toBe(2);
      const consumer = await js.consumers.get(topology.streams.THREATS.name);
      const out: ThreatBatch[] = [];
      for await (const m of await consumer.fetch({ max_messages: 2, expires: 2_000 })) {
        out.push(decodeThreatBatchMessage(m.data));
        if (out.length === 2) break;
      }
      return out;
    }, { timeoutMs: 20_000 });

    for (const batch of batches) {
      const contract = batch.contract.id;
      const sample = rows.get(contract) as Awaited<ReturnType<typeof readSampleRows>>;
      const { onnx, manifest } = shipped(contract);
      const explainer = await createModelExplainer({ onnx, contract: getContract(contract), features: manifest.features, classLabels: manifest.classLabels, homeNet: manifest.homeNet, method: 'saabas' });
      const gated = isGatedOnnx(onnx);
      const forest = gated ? readOnnxGatedEnsemble(onnx).model.categories : readOnnxTreeEnsemble(onnx).model;
      const width = getContract(contract).features.length;
      const input = createModelInput({ contract: getContract(contract), features: manifest.features, homeNet: manifest.homeNet });
      expect(batch.threats).toHaveLength(ROWS);
      for (const threat of batch.threats) {
        const row = Number(threat.flowId.slice(threat.flowId.lastIndexOf('-') + 1));
        const features = sample.features.slice(row * width, (row + 1) * width);
        const classIndex = manifest.classLabels.indexOf(threat.attackClass);
        const lib = explainer.explainRow({ features, envelope: sample.envelopes[row], classIndex, k: 5 });
        const e = threat.explanation;
        expect(e).toBeDefined();
        expect(e?.method).toBe('saabas');
        expect(e?.target).toBe(gated ? `P(${threat.attackClass} | attack)` : `P(${threat.attackClass})`);
        expect(e?.expectedValue).toBeCloseTo(lib.explanation.expectedValue, 12);
        expect(e?.top.map((t) => t.feature)).toEqual(lib.top.map((t) => t.feature));
        e?.top.forEach((t, i) => {
          expect(t.contribution).toBeCloseTo(lib.top[i].contribution, 12);
          expect(t.value).toEqual(Number.isNaN(lib.top[i].value) ? null : lib.top[i].value);
        });
        // Additivity against the model itself: the walker's output for the explained class.
        const sum = lib.explanation.contributions.reduce((s, c) => s + c, lib.explanation.expectedValue);
        const x = input.gather({ features, count: 1, envelopes: [sample.envelopes[row]] });
        const target = predictProba(forest, x, 1)[gated ? classIndex - 1 : classIndex];
        expect(Math.abs(sum - target)).toBeLessThan(1e-6);
      }
    }
  }, 60_000);
});
