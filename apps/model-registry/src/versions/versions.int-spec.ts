import { getContract } from '@vigil/contracts';
import { trainSampleVersion, type SampleVersion } from '@vigil/inference';
import { expectEventually } from '@vigil/testing';
import { startRegistry, type RegistryHarness } from '../testing/registry.fixture';

const codeOf = (p: Promise<unknown>) => p.then(() => 'accepted', (e: { code: string; message: string }) => `${e.code} | ${e.message}`);

describe('model versions against real NATS and Postgres', () => {
  let h: RegistryHarness;
  let detector: SampleVersion;
  let classifier: SampleVersion;
  let big: SampleVersion;

  beforeAll(async () => {
    h = await startRegistry({ REGISTRY_MAX_MODEL_BYTES: String(4 * 1024 * 1024) });
    detector = await trainSampleVersion({ contract: 'cicflowmeter', task: 'detect', name: 'det-a' });
    classifier = await trainSampleVersion({ contract: 'nsl-kdd', task: 'classify', name: 'cls-a' });
    big = await trainSampleVersion({ contract: 'cicflowmeter', task: 'detect', name: 'det-big', nEstimators: 1400, maxDepth: 24, seed: 3 });
  });
  afterAll(() => h?.close());

  it('uploads a version, numbers it, and serves its manifest, sha256 and exact bytes back', async () => {
    const created = await h.client.upload({ manifest: detector.manifest, model: detector.model, createdBy: 'alice' });
    expect(created).toMatchObject({ name: 'det-a', version: 1, task: 'detect', contract: { id: 'cicflowmeter', version: 1 }, sizeBytes: detector.model.byteLength, createdBy: 'alice', source: 'upload', aliases: [] });
    expect((await h.client.version('det-a', 1)).manifest).toMatchObject({ name: 'det-a', version: 1, features: detector.manifest.features });
    const downloaded = await h.client.download('det-a', 1);
    expect(Buffer.compare(Buffer.from(downloaded.model), Buffer.from(detector.model))).toBe(0);
    expect(downloaded.sha256).toBe(created.sha256);
    const again = await h.client.upload({ manifest: { ...detector.manifest, version: 77 }, model: detector.model, createdBy: 'bob' });
    expect(again.version).toBe(2);
    expect(await h.client.ask('listVersions', { name: 'det-a' })).toMatchObject([{ version: 2 }, { version: 1 }]);
    expect(await h.client.ask('listModels')).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'det-a', task: 'detect', latestVersion: 2, versions: 2 })]));
  });

  it('moves artifacts over the 1 MB NATS payload in chunks', async () => {
    expect(big.model.byteLength).toBeGreaterThan(1024 * 1024);
    const created = await h.client.upload({ manifest: big.manifest, model: big.model, createdBy: 'alice' });
    const back = await h.client.download('det-big', created.version);
    expect(back.model.byteLength).toBe(big.model.byteLength);
    expect(back.sha256).toBe(created.sha256);
  });

  it('rejects each kind of bad version with its code and leaves production and the version list untouched', async () => {
    await h.client.upload({ manifest: classifier.manifest, model: classifier.model, createdBy: 'alice' });
    await h.client.setAlias({ name: 'cls-a', alias: 'production', version: 1, actor: 'alice' });
    const m = classifier.manifest;
    const n = m.features.length;
    const attempts = {
      corrupt: codeOf(h.client.upload({ manifest: m, model: classifier.model.slice(0, 3000), createdBy: 'mallory' })),
      features: codeOf(h.client.upload({ manifest: { ...m, features: m.features.slice(0, -1) }, model: classifier.model, createdBy: 'mallory' })),
      labels: codeOf(h.client.upload({ manifest: { ...m, classLabels: [...m.classLabels].reverse() }, model: classifier.model, createdBy: 'mallory' })),
      manifest: codeOf(h.client.upload({ manifest: { ...m, contract: { id: 'nope', version: 1 } }, model: classifier.model, createdBy: 'mallory' })),
      tooLarge: codeOf(h.client.upload({ manifest: m, model: new Uint8Array(5 * 1024 * 1024), createdBy: 'mallory' })),
      otherTask: codeOf(h.client.upload({ manifest: { ...detector.manifest, name: 'cls-a' }, model: detector.model, createdBy: 'mallory' })),
    };
    const got = Object.fromEntries(await Promise.all(Object.entries(attempts).map(async ([k, p]) => [k, await p])));
    expect(got.corrupt).toMatch(/^REGISTRY\.MODEL_INVALID_ONNX \| /);
    expect(got.features).toBe(`REGISTRY.MODEL_CONTRACT_MISMATCH | REGISTRY.MODEL_CONTRACT_MISMATCH: model expects ${n} features, contract nsl-kdd@1 selection has ${n - 1}`);
    expect(got.labels).toMatch(/^REGISTRY\.CLASS_LABELS_MISMATCH \| .*differ from manifest classLabels/);
    expect(got.manifest).toMatch(/^REGISTRY\.MANIFEST_INVALID \| .*contract\.id/);
    expect(got.tooLarge).toBe(`REGISTRY.MODEL_TOO_LARGE | REGISTRY.MODEL_TOO_LARGE: model is ${5 * 1024 * 1024} bytes; the registry accepts at most ${4 * 1024 * 1024} (REGISTRY_MAX_MODEL_BYTES)`);
    expect(got.otherTask).toMatch(/^REGISTRY\.MANIFEST_INVALID \| .*cls-a is a classify model of nsl-kdd@1; this manifest says detect of cicflowmeter@1/);
    expect(await h.client.aliases('cls-a')).toEqual({ production: { version: 1 } });
    expect(await h.client.ask('listVersions', { name: 'cls-a' })).toHaveLength(1);
  });

  it('numbers concurrent uploads of one model without gaps or duplicates', async () => {
    const manifest = { ...detector.manifest, name: 'det-race' };
    const created = await Promise.all(Array.from({ length: 8 }, (_, i) => h.client.upload({ manifest, model: detector.model, createdBy: `uploader-${i}` })));
    expect(created.map((c) => c.version).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('answers unknown models and versions with not-found codes, and malformed requests with INVALID_REQUEST', async () => {
    expect(await codeOf(h.client.version('det-a', 99))).toMatch(/^REGISTRY\.VERSION_NOT_FOUND/);
    expect(await codeOf(h.client.aliases('no-such-model'))).toMatch(/^REGISTRY\.MODEL_NOT_FOUND/);
    expect(await codeOf(h.client.ask('getVersion', { name: 'det-a', version: 'one' }))).toMatch(/^REGISTRY\.INVALID_REQUEST .*version/);
    expect(await codeOf(h.client.ask('uploadCommit', { uploadId: '00000000-0000-4000-8000-000000000000' }))).toMatch(/^REGISTRY\.UPLOAD_NOT_FOUND/);
  });

  it('keeps everything across a registry restart', async () => {
    const before = await h.client.ask('listModels');
    await h.restart();
    await expectEventually(async () => expect(await h.client.ask('listModels')).toEqual(before));
    expect(getContract('nsl-kdd').features.length).toBeGreaterThan(0);
  });
});
