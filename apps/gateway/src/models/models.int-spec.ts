// Model routes and the KServe v2 endpoints against a real gateway and a real model-registry
// process (which imports the shipped models at start and runs inference for /v2); last, a real
// detection replica following the registry scores traffic and the profile shows its latency.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { CONTRACT_SAMPLES, contractSamplePath, encodeFlowBatchMessage, pipelineTopology, readFlowFile } from '@vigil/contracts';
import { type MigratedService, deletePipelineStreams, expectEventually, repoRoot, startMigratedService } from '@vigil/testing';
import { startGatewayStack, type GatewayStack } from '../testing/gateway-stack.fixture';

const root = repoRoot(__dirname);
const shipped = (name: string, file: string): Buffer => readFileSync(join(root, 'models', name, '1', file));
interface Golden { sha256: string; classLabels: string[]; rows: { features: number[]; label: string; probabilities: number[] }[] }
const golden = (name: string): Golden => JSON.parse(readFileSync(join(root, 'libs', 'inference', 'test-data', 'golden', `${name}.json`), 'utf8')) as Golden;

describe('gateway model routes and KServe v2 over a real registry', () => {
  let stack: GatewayStack;
  let detection: MigratedService | undefined;

  beforeAll(async () => {
    stack = await startGatewayStack({ services: ['model-registry'] });
  }, 120_000);
  afterAll(async () => {
    await detection?.cleanup();
    await stack?.stop();
    if (stack) await deletePipelineStreams(stack.prefix);
  });

  const json = async <T>(res: Response, status: number): Promise<T> => {
    const text = await res.text();
    expect({ status: res.status, text: res.status === status ? '' : text }).toEqual({ status, text: '' });
    return JSON.parse(text) as T;
  };
  const form = (manifest: unknown, model: Buffer): FormData => {
    const f = new FormData();
    f.append('manifest', new Blob([JSON.stringify(manifest)], { type: 'application/json' }), 'manifest.json');
    f.append('model', new Blob([model], { type: 'application/octet-stream' }), 'model.onnx');
    return f;
  };

  it('uploads a version (multipart), promotes it, rolls back, and shows versions, aliases, history, artifact and profile', async () => {
    const name = 'threat-detector-nsl-kdd';
    const models = await json<{ name: string; aliases: { production?: { version: number } } }[]>(await stack.call('/api/v1/models', { role: 'viewer' }), 200);
    expect(models.map((m) => m.name)).toEqual(expect.arrayContaining(['attack-classifier-nsl-kdd', 'threat-detector-nsl-kdd']));
    const manifest = JSON.parse(shipped(name, 'manifest.json').toString('utf8')) as Record<string, unknown>;
    const onnx = shipped(name, 'model.onnx');

    expect((await stack.call(`/api/v1/models/${name}/versions`, { role: 'operator', body: form(manifest, onnx) })).status).toBe(403);
    const created = await json<{ version: number; sha256: string; sizeBytes: number; createdBy: string }>(await stack.call(`/api/v1/models/${name}/versions`, { role: 'admin', body: form(manifest, onnx), headers: { 'x-vigil-actor': 'bob' } }), 201);
    expect(created).toMatchObject({ version: 2, sizeBytes: onnx.length, createdBy: 'bob (key:admin)' });

    const wrongName = await json<{ code: string }>(await stack.call('/api/v1/models/attack-classifier-nsl-kdd/versions', { role: 'admin', body: form(manifest, onnx) }), 400);
    expect(wrongName.code).toBe('MODELS.NAME_MISMATCH');
    const corrupt = await json<{ code: string }>(await stack.call(`/api/v1/models/${name}/versions`, { role: 'admin', body: form(manifest, onnx.subarray(0, 5000)) }), 400);
    expect(corrupt.code).toBe('REGISTRY.MODEL_INVALID_ONNX');
    const fewer = { ...manifest, features: (manifest.features as string[]).slice(1) };
    expect((await json<{ code: string }>(await stack.call(`/api/v1/models/${name}/versions`, { role: 'admin', body: form(fewer, onnx) }), 400)).code).toBe('REGISTRY.MODEL_CONTRACT_MISMATCH');
    const noManifest = new FormData();
    noManifest.append('model', new Blob([onnx]), 'model.onnx');
    expect((await json<{ code: string }>(await stack.call(`/api/v1/models/${name}/versions`, { role: 'admin', body: noManifest }), 400)).code).toBe('MODELS.NO_MANIFEST_PART');

    const versions = await json<{ version: number }[]>(await stack.call(`/api/v1/models/${name}/versions`, { role: 'viewer' }), 200);
    expect(versions.map((v) => v.version)).toEqual([2, 1]);
    const v2 = await json<{ version: number; sha256: string; manifest: { features: string[] }; rollout: unknown[] }>(await stack.call(`/api/v1/models/${name}/versions/2`, { role: 'viewer' }), 200);
    expect(v2).toMatchObject({ version: 2, sha256: created.sha256, rollout: [] });
    expect(v2.manifest.features).toHaveLength(41);

    const artifact = await stack.call(`/api/v1/models/${name}/versions/2/artifact`, { role: 'viewer' });
    expect(artifact.status).toBe(200);
    expect(artifact.headers.get('x-content-sha256')).toBe(created.sha256);
    expect(Buffer.from(await artifact.arrayBuffer()).equals(onnx)).toBe(true);

    expect((await stack.call(`/api/v1/models/${name}/aliases/production`, { role: 'operator', method: 'PUT', body: { version: 2 } })).status).toBe(403);
    const moved = await json<{ aliases: { production: { version: number } } }>(await stack.call(`/api/v1/models/${name}/aliases/production`, { role: 'admin', method: 'PUT', body: { version: 2, reason: 'retrained' } }), 200);
    expect(moved.aliases.production.version).toBe(2);
    const canary = await json<{ aliases: { canary: { version: number; canaryShare: number } } }>(await stack.call(`/api/v1/models/${name}/aliases/canary`, { role: 'admin', method: 'PUT', body: { version: 1, canaryShare: 10 } }), 200);
    expect(canary.aliases.canary).toEqual({ version: 1, canaryShare: 10 });
    expect(await json(await stack.call(`/api/v1/models/${name}/aliases/production`, { role: 'admin', method: 'PUT', body: { version: null } }), 400)).toMatchObject({ code: 'REGISTRY.ALIAS_INVALID' });

    const profile = await json<{ activeVersion: number; sha256: string; features: string[]; serving: { latencyMs: unknown } }>(await stack.call(`/api/v1/models/profile/${name}`, { role: 'viewer' }), 200);
    expect(profile).toMatchObject({ activeVersion: 2, sha256: created.sha256, sizeBytes: onnx.length, metrics: expect.any(Object), serving: { replicas: 0, latencyMs: null } });
    expect(profile.features).toHaveLength(41);

    const rolled = await json<{ aliases: { production: { version: number } } }>(await stack.call(`/api/v1/models/${name}/aliases/production/rollback`, { role: 'admin', body: { reason: 'regression' } }), 200);
    expect(rolled.aliases.production.version).toBe(1);
    expect(await json(await stack.call(`/api/v1/models/${name}/aliases/production/rollback`, { role: 'admin', body: {} }), 409)).toMatchObject({ code: 'REGISTRY.NOTHING_TO_ROLL_BACK' });
    const history = await json<{ alias: string; from: number | null; to: number | null; kind: string; actor: string; reason: string }[]>(await stack.call(`/api/v1/models/${name}/history?alias=production`, { role: 'viewer' }), 200);
    expect(history.map((h) => [h.kind, h.from, h.to, h.actor])).toEqual([['rollback', 2, 1, 'key:admin'], ['move', 1, 2, 'key:admin'], ['import', null, 1, 'registry-import']]);
    expect(await json(await stack.call(`/api/v1/models/${name}/rollout`, { role: 'viewer' }), 200)).toMatchObject({ models: expect.any(Array) });
    expect(await json(await stack.call('/api/v1/models/no-such-model/versions', { role: 'viewer' }), 404)).toMatchObject({ code: 'REGISTRY.MODEL_NOT_FOUND' });
  }, 60_000);

  it('answers drift with 503 DRIFT.UNAVAILABLE when no detection replica answers', async () => {
    expect(await json(await stack.call('/api/v1/models/threat-detector-nsl-kdd/drift', { role: 'viewer' }), 503)).toMatchObject({ code: 'DRIFT.UNAVAILABLE' });
  });

  it('serves the KServe v2 protocol: health, metadata, readiness, and inference equal to the golden vectors', async () => {
    const name = 'threat-detector-nsl-kdd';
    expect(await json(await stack.call('/v2/health/live', { role: null }), 200)).toEqual({ live: true });
    expect(await json(await stack.call('/v2/health/ready', { role: null }), 200)).toEqual({ ready: true });
    const meta = await json<Record<string, unknown>>(await stack.call(`/v2/models/${name}`, { role: 'viewer' }), 200);
    expect(meta).toMatchObject({
      name, versions: ['2', '1'], platform: 'onnxruntime_onnx',
      inputs: [{ name: 'input', datatype: 'FP32', shape: [-1, 41] }],
      outputs: [{ name: 'label', datatype: 'BYTES', shape: [-1] }, { name: 'probabilities', datatype: 'FP32', shape: [-1, 2] }],
    });
    expect(await json(await stack.call(`/v2/models/${name}/versions/1`, { role: 'viewer' }), 200)).toMatchObject({ name, inputs: [{ shape: [-1, 41] }] });
    expect(await json(await stack.call(`/v2/models/${name}/ready`, { role: 'viewer' }), 200)).toEqual({ name, version: '1', ready: true });
    expect(await json(await stack.call(`/v2/models/${name}/versions/9/ready`, { role: 'viewer' }), 404)).toMatchObject({ error: expect.stringContaining('no version 9') });

    const g = golden(name);
    const rows = [...g.rows.filter((r) => r.label === 'normal').slice(0, 3), ...g.rows.filter((r) => r.label === 'attack').slice(0, 4)];
    // The spec's example shapes: a batch with nested data, then the same rows flat, with an id and one output asked for.
    const nested = await json<{ model_name: string; model_version: string; outputs: { name: string; datatype: string; shape: number[]; data: (string | number)[] }[] }>(
      await stack.call(`/v2/models/${name}/infer`, { role: 'operator', body: { inputs: [{ name: 'input', shape: [rows.length, 41], datatype: 'FP32', data: rows.map((r) => r.features) }] } }), 200);
    expect(nested).toMatchObject({ model_name: name, model_version: '1' });
    const [label, probabilities] = nested.outputs;
    expect(label).toEqual({ name: 'label', datatype: 'BYTES', shape: [rows.length], data: rows.map((r) => r.label) });
    expect(probabilities).toMatchObject({ name: 'probabilities', datatype: 'FP32', shape: [rows.length, 2] });
    (probabilities!.data as number[]).forEach((p, i) => expect(Math.abs(p - rows[Math.floor(i / 2)]!.probabilities[i % 2]!)).toBeLessThan(1e-5));
    const flat = await json<{ id: string; outputs: { name: string; data: string[] }[] }>(await stack.call(`/v2/models/${name}/versions/1/infer`, {
      role: 'operator', body: { id: 'req-7', inputs: [{ name: 'input', shape: [2, 41], datatype: 'FP32', data: rows.slice(2, 4).flatMap((r) => r.features) }], outputs: [{ name: 'label' }] },
    }), 200);
    expect(flat).toEqual({ model_name: name, model_version: '1', id: 'req-7', outputs: [{ name: 'label', datatype: 'BYTES', shape: [2], data: [rows[2]!.label, rows[3]!.label] }] });

    const infer = (input: Record<string, unknown>) => stack.call(`/v2/models/${name}/infer`, { role: 'operator', body: { inputs: [{ name: 'input', datatype: 'FP32', ...input }] } });
    const wrongWidth = await json<{ error: string }>(await infer({ shape: [1, 40], data: rows[0]!.features.slice(0, 40) }), 400);
    expect(wrongWidth.error).toContain('takes 41 features per row');
    expect((await json<{ error: string }>(await infer({ shape: [2, 41], data: rows[0]!.features }), 400)).error).toContain('needs 82 values, data has 41');
    expect((await json<{ error: string }>(await infer({ shape: [1, 41], datatype: 'INT64', data: rows[0]!.features }), 400)).error).toContain('datatype must be FP32');
    expect((await json<{ error: string }>(await infer({ shape: [41], data: rows[0]!.features }), 400)).error).toContain('shape must be [rows, features]');
    expect((await json<{ error: string }>(await stack.call(`/v2/models/${name}/infer`, { role: 'operator', body: { inputs: [] } }), 400)).error).toContain('invalid body');
    expect(await json(await stack.call('/v2/models/nope/infer', { role: 'operator', body: { inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 1], data: [1] }] } }), 404)).toMatchObject({ error: expect.any(String), code: 'REGISTRY.MODEL_NOT_FOUND' });
    expect(await json(await stack.call(`/v2/models/${name}/infer`, { role: 'viewer', body: {} }), 403)).toMatchObject({ error: expect.any(String), code: 'AUTH.FORBIDDEN' });
  }, 60_000);

  it('profiles the active version with the p50/p99 latency and throughput a real detection replica observed', async () => {
    const name = 'threat-detector-nsl-kdd';
    detection = await startMigratedService({ app: 'detection', env: { LOG_LEVEL: 'warn', PIPELINE_PREFIX: stack.prefix, MODEL_SOURCE: 'registry' } });
    await expectEventually(async () => expect((await fetch(`${detection!.service.url}/readyz`)).status).toBe(200), { timeoutMs: 30_000 });
    type Profile = { activeVersion: number; serving: { replicasServingActive: number; latencyMs: { p50: number; p99: number } | null; throughputRowsPerSecond: number | null; perReplica: { replica: string; calls: number; rows: number; p99Ms: number }[] } };
    const profile = async () => json<Profile>(await stack.call(`/api/v1/models/profile/${name}`, { role: 'viewer' }), 200);
    await expectEventually(async () => expect((await profile()).serving.replicasServingActive).toBe(1), { timeoutMs: 20_000 });

    const nc = await connect({ servers: process.env.NATS_URL ?? 'nats://127.0.0.1:4222' });
    let rows = 0;
    try {
      const subject = pipelineTopology(stack.prefix).subjects.flows('nsl-kdd');
      let n = 0;
      for await (const batch of readFlowFile(contractSamplePath(CONTRACT_SAMPLES.nslKdd), { contract: 'nsl-kdd', batchSize: 100 })) {
        const batchId = `${stack.prefix}-profile-${n++}`;
        const flowIds = Array.from({ length: batch.count }, (_, i) => `${batchId}-${i}`);
        await jetstream(nc).publish(subject, encodeFlowBatchMessage({ batch, batchId, sensor: 'test', correlationId: batchId, flowIds }), { msgID: batchId });
        rows += batch.count;
      }
    } finally {
      await nc.close();
    }
    expect(rows).toBeGreaterThan(0);
    // The replica reports every 5 s; poll the profile until its report carries the traffic.
    const seen = await expectEventually(async () => {
      const p = await profile();
      expect(p.serving.perReplica.reduce((sum, r) => sum + r.rows, 0)).toBe(rows);
      return p;
    }, { timeoutMs: 20_000, intervalMs: 250 });
    expect(seen.activeVersion).toBe(1);
    expect(seen.serving.perReplica).toHaveLength(1);
    const { latencyMs, throughputRowsPerSecond } = seen.serving;
    expect(latencyMs).not.toBeNull();
    expect(latencyMs!.p50).toBeGreaterThan(0);
    expect(latencyMs!.p99).toBeGreaterThanOrEqual(latencyMs!.p50);
    expect(latencyMs!.p99).toBe(seen.serving.perReplica[0]!.p99Ms);
    expect(throughputRowsPerSecond).toBeGreaterThan(0);
  }, 90_000);
});
