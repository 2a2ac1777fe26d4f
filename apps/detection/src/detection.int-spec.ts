import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { pipelineTopology } from '@vigil/contracts';
import { trainSampleModels } from '@vigil/inference';
import { expectEventually, startMigratedService, type MigratedService, uniqueName } from '@vigil/testing';

// Real models trained from the committed samples, and a private pipeline prefix for the streams.
const modelsDir = mkdtempSync(path.join(tmpdir(), 'vigil-detection-models-'));
const prefix = uniqueName('detection').replace(/[^A-Za-z0-9_-]/g, '').slice(0, 24);

afterAll(async () => {
  rmSync(modelsDir, { recursive: true, force: true });
  const nc = await connect({ servers: process.env.NATS_URL ?? 'nats://127.0.0.1:4222' });
  const jsm = await jetstreamManager(nc);
  for (const s of Object.values(pipelineTopology(prefix).streams)) await jsm.streams.delete(s.name).catch(() => false);
  await nc.close();
});

describe('detection process', () => {
  let running: MigratedService;

  beforeAll(async () => {
    await trainSampleModels(modelsDir);
    running = await startMigratedService({ app: 'detection', env: { MODELS_DIR: modelsDir, PIPELINE_PREFIX: prefix, MODEL_SOURCE: 'files' } });
  });

  afterAll(() => running.cleanup());

  it('becomes ready against real NATS and Postgres, serves health and metrics, and stops cleanly on SIGTERM', async () => {
    const { service } = running;
    const ready = await expectEventually(async () => {
      const res = await fetch(`${service.url}/readyz`);
      expect(res.status).toBe(200);
      return (await res.json()) as { checks: { name: string; ok: boolean }[] };
    }, { timeoutMs: 10_000 });
    expect(ready.checks.map((c) => c.name).sort()).toEqual(['migrations', 'models', 'nats', 'postgres']);

    const health = await fetch(`${service.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', service: 'detection' });

    const metrics = await fetch(`${service.url}/metrics`);
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    expect(await metrics.text()).toMatch(/^process_cpu_user_seconds_total\{service="detection",instance="[^"]+"\} /m);

    const started = Date.now();
    const code = await service.stop('SIGTERM');
    expect(code).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    const lines = service.logLines();
    expect(lines.length).toBe(service.logs.length);
    expect(lines.every((line) => line.service === 'detection')).toBe(true);
    expect(lines.map((line) => line.msg)).toEqual(expect.arrayContaining(['service started', 'shutting down', 'service stopped']));
  });

  it('stays unready, naming the missing model and its code, when the models folder has none', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'vigil-no-models-'));
    const bare = await startMigratedService({ app: 'detection', env: { MODELS_DIR: empty, PIPELINE_PREFIX: prefix, MODEL_SOURCE: 'files' } });
    try {
      const body = await expectEventually(async () => {
        const res = await fetch(`${bare.service.url}/readyz`);
        expect(res.status).toBe(503);
        const json = (await res.json()) as { failed: string[]; checks: { name: string; error?: string }[] };
        expect(json.failed).toEqual(['models']);
        return json;
      }, { timeoutMs: 10_000 });
      expect(body.checks.find((c) => c.name === 'models')?.error).toContain('no version of model');
    } finally {
      await bare.cleanup();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
