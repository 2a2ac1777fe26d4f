// Drift through a real detection process (shipped NSL-KDD detector): training-like traffic
// (the head of KDDTrain+, from ../shared) keeps PSI low and raises nothing; DoS-only rows of
// the committed sample raise a drift alert event on events.drift.<model>; PSI is on /metrics
// and answered on detection.drift.<model>. A short time window lets the first traffic age out.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { type NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import {
  type DriftReply, type FlowBatch, driftAlertEventSchema, driftReplySchema, encodeFlowBatchMessage, getContract, pipelineTopology, readFlowFile,
} from '@vigil/contracts';
import { readSampleRows } from '@vigil/inference';
import { type MigratedService, expectEventually, repoRoot, startMigratedService, uniqueName } from '@vigil/testing';

const KDD_PATH = path.resolve(repoRoot(), '..', 'shared', 'datasets', 'nsl-kdd', 'KDDTrain+.txt.gz');
const KDD = existsSync(KDD_PATH) ? KDD_PATH : null;
const MODEL = 'threat-detector-nsl-kdd';
const prefix = uniqueName('drift').replace(/[^A-Za-z0-9_-]/g, '').slice(0, 24);
const topology = pipelineTopology(prefix);

async function publish(nc: NatsConnection, batch: Pick<FlowBatch, 'contract' | 'count' | 'features' | 'envelopes'>, id: string): Promise<void> {
  const flowIds = Array.from({ length: batch.count }, (_, i) => `${id}-${i}`);
  await jetstream(nc).publish(topology.subjects.flows('nsl-kdd'), encodeFlowBatchMessage({ batch, batchId: id, sensor: 'test', correlationId: id, flowIds }), { msgID: id });
}

async function drift(nc: NatsConnection): Promise<DriftReply> {
  const reply = await nc.request(topology.subjects.drift('detection', MODEL), '{}', { timeout: 5_000 });
  return driftReplySchema.parse((reply.json<{ data: unknown }>()).data);
}

describe('drift in a real detection process', () => {
  let running: MigratedService;
  let nc: NatsConnection;

  beforeAll(async () => {
    nc = await connect({ servers: process.env.NATS_URL ?? 'nats://127.0.0.1:4222' });
    running = await startMigratedService({
      app: 'detection',
      env: { PIPELINE_PREFIX: prefix, MODEL_SOURCE: 'files', LOG_LEVEL: 'warn', DRIFT_WINDOW_SLOTS: '3', DRIFT_SLOT_MS: '2000', DRIFT_REPORT_MS: '200' },
    });
    await expectEventually(async () => expect((await fetch(`${running.service.url}/readyz`)).status).toBe(200), { timeoutMs: 30_000 });
  });

  afterAll(async () => {
    await running.cleanup();
    const jsm = await jetstreamManager(nc);
    for (const s of Object.values(topology.streams)) await jsm.streams.delete(s.name).catch(() => false);
    await nc.close();
  });

  (KDD ? it : it.skip)(`keeps PSI low on training-like traffic and raises no alert${KDD ? '' : ' (skipped: ../shared/datasets/nsl-kdd absent)'}`, async () => {
    let sent = 0;
    for await (const batch of readFlowFile(KDD as string, { contract: 'nsl-kdd', batchSize: 1_000 })) {
      await publish(nc, batch, `${prefix}-train-${sent}`);
      sent += batch.count;
      if (sent >= 10_000) break;
    }
    const reply = await expectEventually(async () => {
      const r = await drift(nc);
      expect(r.versions[0]?.rows).toBe(sent);
      return r;
    }, { timeoutMs: 20_000 });
    expect(reply.versions).toHaveLength(1);
    expect(reply.versions[0].model).toEqual({ name: MODEL, version: 1 });
    expect(reply.versions[0].overall).toBeLessThan(0.05);
    expect(reply.versions[0].alert).toBe(false);
    expect(reply.versions[0].features).toHaveLength(41);
    // The gauges are refreshed every DRIFT_REPORT_MS, so the first scrape after the reply may precede it.
    const metrics = await expectEventually(async () => {
      const text = await (await fetch(`${running.service.url}/metrics`)).text();
      expect(text).toMatch(new RegExp(`^vigil_drift_psi\\{[^}]*model="${MODEL}",version="1"[^}]*\\} 0\\.0`, 'm'));
      return text;
    }, { timeoutMs: 5_000, intervalMs: 100 });
    expect(metrics.match(/^vigil_drift_feature_psi\{/gm)).toHaveLength(41);
    const info = await (await jetstreamManager(nc)).streams.info(topology.streams.EVENTS.name);
    expect(info.state.messages).toBe(0);
  }, 60_000);

  it('raises a drift alert event when the traffic is DoS only', async () => {
    // The window (3 × 2 s) lets earlier traffic leave before this mix arrives.
    await expectEventually(async () => expect((await drift(nc)).versions[0]?.rows ?? 0).toBe(0), { timeoutMs: 20_000, intervalMs: 250 });
    const sample = await readSampleRows('nsl-kdd');
    const width = getContract('nsl-kdd').features.length;
    const dos = sample.families.flatMap((f, i) => (f === 'DoS' ? [i] : []));
    const count = 1_000;
    const features = new Float32Array(count * width);
    for (let r = 0; r < count; r++) features.set(sample.features.subarray(dos[r % dos.length] * width, (dos[r % dos.length] + 1) * width), r * width);
    const envelopes = Array.from({ length: count }, (_, r) => sample.envelopes[dos[r % dos.length]]);
    await publish(nc, { contract: getContract('nsl-kdd'), count, features, envelopes }, `${prefix}-dos`);

    const event = await expectEventually(async () => {
      const consumer = await jetstream(nc).consumers.get(topology.streams.EVENTS.name);
      const msg = await consumer.next({ expires: 1_000 });
      expect(msg).not.toBeNull();
      return driftAlertEventSchema.parse(msg?.json());
    }, { timeoutMs: 20_000 });
    expect(msg(event)).toEqual({ model: { name: MODEL, version: 1 }, alert: true, stage: 'detection' });
    expect(event.drift.overall).toBeGreaterThanOrEqual(0.2);
    expect(event.drift.bound).toBe(0.2);
    expect(event.drift.features.length).toBeGreaterThan(0);
    const reply = await drift(nc);
    expect(reply.versions[0].alert).toBe(true);
  }, 60_000);
});

function msg(event: ReturnType<typeof driftAlertEventSchema.parse>): object {
  return { model: event.drift.model, alert: event.drift.alert, stage: event.stage };
}
