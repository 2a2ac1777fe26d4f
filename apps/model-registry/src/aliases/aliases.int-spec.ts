import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { trainSampleVersion, writeSampleVersion, type SampleVersion } from '@vigil/inference';
import { expectEventually } from '@vigil/testing';
import { startRegistry, type RegistryHarness } from '../testing/registry.fixture';

const codeOf = (p: Promise<unknown>) => p.then(() => 'accepted', (e: { code: string }) => e.code);

describe('aliases against real NATS and Postgres', () => {
  let h: RegistryHarness;
  let v1: SampleVersion;
  let v2: SampleVersion;
  let v3: SampleVersion;

  beforeAll(async () => {
    [v1, v2, v3] = await Promise.all([7, 8, 9].map((seed, i) => trainSampleVersion({ contract: 'nsl-kdd', task: 'detect', name: 'det-alias', seed, version: i + 1 })));
    h = await startRegistry();
    for (const v of [v1, v2, v3]) await h.client.upload({ manifest: v.manifest, model: v.model, createdBy: 'alice' });
  });
  afterAll(() => h?.close());

  it('publishes every move on models.activated.<name> with a deterministic msg id and the whole alias state', async () => {
    await h.client.setAlias({ name: 'det-alias', alias: 'production', version: 1, actor: 'alice', reason: 'first' });
    await h.client.setAlias({ name: 'det-alias', alias: 'canary', version: 2, canaryShare: 10, actor: 'bob', reason: 'try v2' });
    const [first, second] = await expectEventually(() => {
      expect(h.events).toHaveLength(2);
      return h.events;
    });
    expect(first).toMatchObject({ subject: h.topology.activated('det-alias'), msgId: `models.activated:det-alias:${first!.event.eventId}`, event: { alias: 'production', from: null, to: 1, actor: 'alice', reason: 'first' } });
    expect(second!.event).toMatchObject({ alias: 'canary', to: 2, task: 'detect', contract: { id: 'nsl-kdd', version: 1 }, aliases: { production: { version: 1 }, canary: { version: 2, canaryShare: 10 } } });
    expect(Object.keys(second!.event.artifacts).sort()).toEqual(['1', '2']);
    // The stream keeps the latest state per model for replicas that start later.
    const jsm = await h.nats.manager();
    const last = await jsm.streams.getMessage(h.topology.stream.name, { last_by_subj: h.topology.activated('det-alias') });
    expect(last?.json()).toMatchObject({ eventId: second!.event.eventId });
  });

  it('rolls production back one move at a time, auditing who, when, from, to and why', async () => {
    await h.client.setAlias({ name: 'det-alias', alias: 'production', version: 2, actor: 'alice', reason: 'promote v2' });
    await h.client.setAlias({ name: 'det-alias', alias: 'production', version: 3, actor: 'alice', reason: 'promote v3' });
    expect((await h.client.rollback({ name: 'det-alias', actor: 'carol', reason: 'v3 too noisy' })).aliases.production).toEqual({ version: 2 });
    expect((await h.client.rollback({ name: 'det-alias', actor: 'carol', reason: 'v2 too' })).aliases.production).toEqual({ version: 1 });
    expect(await codeOf(h.client.rollback({ name: 'det-alias', actor: 'carol' }))).toBe('REGISTRY.NOTHING_TO_ROLL_BACK');
    const history = await h.client.ask<{ alias: string; from: number | null; to: number | null; kind: string; actor: string; reason: string; at: string }[]>('aliasHistory', { name: 'det-alias', alias: 'production' });
    expect(history.map((e) => [e.kind, e.from, e.to, e.actor, e.reason])).toEqual([
      ['rollback', 2, 1, 'carol', 'v2 too'],
      ['rollback', 3, 2, 'carol', 'v3 too noisy'],
      ['move', 2, 3, 'alice', 'promote v3'],
      ['move', 1, 2, 'alice', 'promote v2'],
      ['move', null, 1, 'alice', 'first'],
    ]);
    expect(Number.isNaN(Date.parse(history[0]!.at))).toBe(false);
    await expectEventually(() => expect(h.events.at(-1)?.event).toMatchObject({ kind: 'rollback', from: 2, to: 1, aliases: { production: { version: 1 } } }));
  });

  it('refuses to clear production, a share on a non-canary alias, and unknown versions; clears canary', async () => {
    expect(await codeOf(h.client.setAlias({ name: 'det-alias', alias: 'production', version: null, actor: 'x' }))).toBe('REGISTRY.ALIAS_INVALID');
    expect(await codeOf(h.client.setAlias({ name: 'det-alias', alias: 'shadow', version: 2, canaryShare: 5, actor: 'x' }))).toBe('REGISTRY.ALIAS_INVALID');
    expect(await codeOf(h.client.setAlias({ name: 'det-alias', alias: 'shadow', version: 42, actor: 'x' }))).toBe('REGISTRY.VERSION_NOT_FOUND');
    expect(await codeOf(h.client.setAlias({ name: 'det-alias', alias: 'canary', version: 2, canaryShare: 101, actor: 'x' }))).toBe('REGISTRY.INVALID_REQUEST');
    expect((await h.client.setAlias({ name: 'det-alias', alias: 'canary', version: null, actor: 'x' })).aliases).toEqual({ production: { version: 1 } });
  });
});

describe('shipped models import', () => {
  let h: RegistryHarness;
  const modelsDir = mkdtempSync(path.join(tmpdir(), 'vigil-shipped-'));

  afterAll(async () => {
    await h?.close();
    rmSync(modelsDir, { recursive: true, force: true });
  });

  it('imports every shipped version on first start, points production at the highest, and imports nothing on the next start', async () => {
    const shipped = await Promise.all([1, 2].map((version) => trainSampleVersion({ contract: 'cicflowmeter', task: 'detect', name: 'shipped-det', seed: version, version })));
    shipped.forEach((v) => writeSampleVersion(modelsDir, v));
    writeSampleVersion(modelsDir, await trainSampleVersion({ contract: 'nsl-kdd', task: 'classify', name: 'shipped-cls', version: 3 }));
    h = await startRegistry({ MODELS_DIR: modelsDir });
    const models = await h.client.ask<{ name: string; latestVersion: number; versions: number; aliases: unknown }[]>('listModels');
    expect(models.map((m) => [m.name, m.latestVersion, m.versions, m.aliases])).toEqual([
      ['shipped-cls', 3, 1, { production: { version: 3 } }],
      ['shipped-det', 2, 2, { production: { version: 2 } }],
    ]);
    expect(await h.client.version('shipped-det', 1)).toMatchObject({ source: 'import', createdBy: 'import:shipped-det/1' });
    await expectEventually(() => expect(h.events.map((e) => e.event.kind)).toEqual(['import', 'import']));

    await h.client.setAlias({ name: 'shipped-det', alias: 'production', version: 1, actor: 'alice', reason: 'prefer v1' });
    await h.restart();
    expect(await h.client.ask('listModels')).toMatchObject([{ name: 'shipped-cls', versions: 1 }, { name: 'shipped-det', versions: 2, aliases: { production: { version: 1 } } }]);
    expect((await h.client.ask<unknown[]>('aliasHistory', { name: 'shipped-det' }))).toHaveLength(2);
  });
});
