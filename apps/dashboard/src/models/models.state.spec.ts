import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type ModelVersionInfo } from '../api/api.types';
import { aliasProgress, confusionCells, mergeRollouts, parseCanaryShare, readManifest, versionMetrics } from './models.state';

// A shipped model's real manifest (models/ at the repository root).
const repoRoot = path.resolve(__dirname, '..', '..', '..', '..');
const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'models', 'threat-detector-nsl-kdd', '1', 'manifest.json'), 'utf8')) as Record<string, unknown>;

describe('model version views', () => {
  it("reads a shipped manifest's held-out metrics: per-class rows and the confusion matrix over its labels", () => {
    const m = versionMetrics({ manifest } as Pick<ModelVersionInfo, 'manifest'>);
    expect(m.labels.length).toBe(2);
    expect(m.confusion).toHaveLength(2);
    expect(m.confusion?.every((row) => row.length === 2)).toBe(true);
    expect(m.perClass.map((c) => c.label).sort()).toEqual([...m.labels].sort());
    expect(m.accuracy).toBeGreaterThan(0.9);
    const support = m.perClass.reduce((n, c) => n + (c.support ?? 0), 0);
    expect(support).toBe(m.confusion?.flat().reduce((a, b) => a + b, 0));
  });

  it('a manifest without metrics gives empty views instead of failing', () => {
    expect(versionMetrics({ manifest: { classLabels: ['a', 'b'] } })).toEqual({ accuracy: null, macroF1: null, perClass: [], labels: ['a', 'b'], confusion: null });
  });

  it('confusion cells are shaded by their share of the true class, an empty row stays light', () => {
    const cells = confusionCells([[90, 10], [0, 0]]);
    expect(cells[0].map((c) => c.ratio)).toEqual([0.9, 0.1]);
    expect(cells[0][0].text).toBe('#fff');
    expect(cells[1].map((c) => c.ratio)).toEqual([0, 0]);
  });

  it('a rollout is complete when every replica of the model serves the alias target', () => {
    const rollout = {
      name: 'm', replicas: 2, failures: [], loading: [],
      aliases: { production: { target: 2, serving: { '1': 1, '2': 1 }, onTarget: 1 }, canary: { target: 3, canaryShare: 10, serving: { '3': 2 }, onTarget: 2 }, shadow: { serving: {}, onTarget: 0 } },
    };
    expect(aliasProgress(rollout)).toEqual([
      { alias: 'production', target: 2, onTarget: 1, replicas: 2, complete: false, canaryShare: null },
      { alias: 'canary', target: 3, onTarget: 2, replicas: 2, complete: true, canaryShare: 10 },
    ]);
    expect(aliasProgress(undefined)).toEqual([]);
  });

  it('canary shares and manifests are checked before anything is sent', () => {
    expect(['10', '12.5%', '0', '100', '101', '-1', '', 'x'].map(parseCanaryShare)).toEqual([10, 12.5, 0, 100, null, null, null, null]);
    expect(readManifest(JSON.stringify(manifest))).toEqual({ manifest });
    expect(readManifest('{"name":"x"}')).toEqual({ error: 'the manifest lacks task, contract, features, classLabels' });
    expect(readManifest('nope')).toMatchObject({ error: expect.stringMatching(/^the manifest is not JSON/) });
  });
});

describe('fleet rollout view', () => {
  it('merges per-model answers: each replica once with its latest report, each model once', () => {
    const replica = (name: string, lastSeen: string) => ({ replica: name, service: 'detection', lastSeen, models: [] });
    const model = (name: string) => ({ name, replicas: 1, failures: [], loading: [], aliases: { production: { target: 1, serving: { '1': 1 }, onTarget: 1 }, canary: { serving: {}, onTarget: 0 }, shadow: { serving: {}, onTarget: 0 } } });
    const merged = mergeRollouts([
      { at: '2025-01-01T00:00:01Z', replicas: [replica('b', '2025-01-01T00:00:00Z'), replica('a', '2025-01-01T00:00:00Z')], models: [model('m1')] },
      { at: '2025-01-01T00:00:02Z', replicas: [replica('a', '2025-01-01T00:00:02Z')], models: [model('m2')] },
    ]);
    expect(merged.at).toBe('2025-01-01T00:00:02Z');
    expect(merged.replicas.map((r) => [r.replica, r.lastSeen])).toEqual([['a', '2025-01-01T00:00:02Z'], ['b', '2025-01-01T00:00:00Z']]);
    expect(merged.models.map((m) => m.name)).toEqual(['m1', 'm2']);
    expect(mergeRollouts([])).toEqual({ at: '', replicas: [], models: [] });
  });
});
