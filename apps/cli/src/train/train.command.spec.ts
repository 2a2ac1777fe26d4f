import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { modelManifestSchema } from '@vigil/contracts';
import { SEED_FEATURES, readOnnxGatedEnsemble, resolveTrainSpec } from '@vigil/ml';
import { type CliIo } from '../command/cli-command';
import { runCli } from '../command/cli-runner';
import { commands } from '../commands';
import { repoRoot } from './repo.paths';

const ROOT = repoRoot(__dirname);
const SAMPLE = 'libs/ml/test-data/nsl-kdd-train-2500.txt.gz';

function sink(): Writable & { text: string } {
  const w = new Writable({ write(chunk: Buffer, _enc, cb) { (w as unknown as { text: string }).text += chunk.toString(); cb(); } }) as Writable & { text: string };
  w.text = '';
  return w;
}

async function vigil(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = sink();
  const stderr = sink();
  const io: CliIo = { stdout, stderr, cwd: ROOT, env: {} };
  const code = await runCli({ argv, commands, io });
  return { code, out: stdout.text, err: stderr.text };
}

describe('vigil train', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'vigil-train-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a valid, byte-reproducible version folder with plain progress lines off a terminal', async () => {
    const args = (out: string, workers: string): string[] => [
      'train', '--task', 'detect', '--contract', 'nsl-kdd', '--data', SAMPLE, '--recipe', 'outlier-detector', '--trees', '6', '--folds', '3', '--workers', workers, '--out', out,
    ];
    const out = path.join(dir, 'det', '1');
    const read = (file: string): Buffer => readFileSync(path.join(out, file));
    const a = await vigil(args(out, '1'));
    expect(a.err).toContain('train: 100%');
    expect(a.code).toBe(0);
    const first = { onnx: read('model.onnx'), manifest: read('manifest.json') };
    const b = await vigil(args(out, '2'));
    expect(b.code).toBe(0);
    expect(read('model.onnx').equals(first.onnx)).toBe(true);
    expect(read('manifest.json').equals(first.manifest)).toBe(true);
    const manifest = modelManifestSchema.parse(JSON.parse(read('manifest.json').toString('utf8')));
    expect(manifest.training.data[0]).toMatchObject({ path: SAMPLE, rows: 2500 });
    expect(manifest.training.command).toContain(`--data ${SAMPLE} --recipe outlier-detector --trees 6 --folds 3`);
    expect(manifest.training.command).not.toContain('--workers');
    // No absolute path anywhere: every recorded path is relative to the repository root.
    expect(JSON.stringify(manifest)).not.toMatch(/"\/|\s\//);
    expect(manifest.threshold).toBeGreaterThan(0);
    expect(read('MODEL_CARD.md').toString('utf8')).toContain('## Known weaknesses');
  });

  it('writes a gated classifier as one ONNX graph with the gate in the manifest', async () => {
    const out = path.join(dir, 'gated', '1');
    const r = await vigil(['train', '--task', 'classify', '--contract', 'nsl-kdd', '--data', SAMPLE, '--recipe', 'gated-classifier', '--trees', '5', '--folds', '2', '--out', out]);
    expect(r.code).toBe(0);
    const manifest = modelManifestSchema.parse(JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')));
    expect(manifest.classLabels).toEqual(['normal', 'DoS', 'Probe', 'R2L', 'U2R']);
    expect(manifest.normalClass).toBe(0);
    expect(manifest.threshold).toBeDefined();
    const gated = readOnnxGatedEnsemble(new Uint8Array(readFileSync(path.join(out, 'model.onnx'))));
    expect(gated.model.detector.trees).toHaveLength(5);
    expect(gated.model.categories.nClasses).toBe(4);
  });

  it('--preset seed resolves to the replaced system\'s models', () => {
    const det = resolveTrainSpec({ task: 'detect', contract: 'nsl-kdd', preset: 'seed', params: {} });
    expect(det).toMatchObject({ algo: 'rf', params: { trees: 100, maxDepth: 15 }, features: [...SEED_FEATURES] });
    const cls = resolveTrainSpec({ task: 'classify', contract: 'nsl-kdd', preset: 'seed', params: {} });
    expect(cls).toMatchObject({ algo: 'dt', params: { maxDepth: 10, criterion: 'entropy' }, classLevel: 'family' });
    expect(() => resolveTrainSpec({ task: 'detect', contract: 'cicflowmeter', preset: 'seed', params: {} })).toThrow('nsl-kdd');
  });

  it('reports usage mistakes with exit code 2', async () => {
    const r = await vigil(['train', '--task', 'detect', '--contract', 'nsl-kdd', '--data', SAMPLE, '--out', path.join(dir, 'x', 'latest')]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('positive integer version');
  });
});
