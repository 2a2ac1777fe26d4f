import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { CONTRACT_SAMPLES, contractSamplePath } from '@vigil/contracts';
import { type CliIo } from '../command/cli-command';
import { runCli } from '../command/cli-runner';
import { commands } from '../commands';
import { repoRoot } from '../train/repo.paths';

const ROOT = repoRoot(__dirname);

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

const sample = (name: string): string => path.relative(ROOT, contractSamplePath(name));

describe('vigil evaluate --json', () => {
  it('scores the NSL-KDD detector on committed real rows through onnxruntime with its threshold', async () => {
    const r = await vigil(['evaluate', '--model', 'models/threat-detector-nsl-kdd/1', '--data', sample(CONTRACT_SAMPLES.nslKdd), '--json']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as Record<string, unknown>;
    for (const key of ['rows', 'accuracy', 'macroF1', 'precision', 'recall', 'f1', 'rocAuc', 'perClass', 'confusion', 'rowsPerSecond', 'classLabels', 'errorRows', 'skippedLabels', 'threshold']) expect(j).toHaveProperty(key);
    expect(j.rows).toBe(352);
    expect(j.classLabels).toEqual(['normal', 'attack']);
    const manifest = JSON.parse(readFileSync(path.join(ROOT, 'models/threat-detector-nsl-kdd/1/manifest.json'), 'utf8')) as { threshold: number };
    expect(j.threshold).toBe(manifest.threshold);
    expect(j.accuracy).toBeGreaterThan(0.9);
    expect(j.rocAuc).toBeGreaterThan(0.9);
    expect((j.confusion as number[][]).flat().reduce((a, b) => a + b, 0)).toBe(352);
  });

  it('maps attack names to categories for the gated NSL-KDD classifier', async () => {
    const r = await vigil(['evaluate', '--model', 'models/attack-classifier-nsl-kdd/1', '--data', sample(CONTRACT_SAMPLES.nslKdd), '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as { classLabels: string[]; perClass: Record<string, { support: number }>; accuracy: number; byLabel: Record<string, unknown> };
    expect(j.classLabels).toEqual(['normal', 'DoS', 'Probe', 'R2L', 'U2R']);
    expect(j.perClass.U2R.support).toBeGreaterThan(0);
    expect(j.byLabel).toHaveProperty('neptune');
    expect(j.accuracy).toBeGreaterThan(0.8);
  });

  it('scores every class of the CIC classifier on improved CIC-IDS2017 rows (home-net context from the envelopes)', async () => {
    const r = await vigil(['evaluate', '--model', 'models/attack-classifier-cicflowmeter/1', '--data', sample(CONTRACT_SAMPLES.improved), '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as { rows: number; classLabels: string[]; accuracy: number; macroF1: number };
    expect(j.rows).toBe(293);
    expect(j.classLabels).toHaveLength(16);
    expect(j.accuracy).toBeGreaterThan(0.95);
  });

  it('fails on a label the contract does not know, naming it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vigil-eval-'));
    try {
      // A real KDDTrain+ row whose label field was rewritten to a name no contract knows.
      const first = gunzipSync(readFileSync(contractSamplePath(CONTRACT_SAMPLES.nslKdd))).toString('utf8').split('\n')[0].split(',');
      first[41] = 'zeroday_wormhole';
      const file = path.join(dir, 'unknown-label.txt');
      writeFileSync(file, `${first.join(',')}\n`);
      const r = await vigil(['evaluate', '--model', 'models/threat-detector-nsl-kdd/1', '--data', file, '--json']);
      expect(r.code).toBe(1);
      expect(r.err).toContain('zeroday_wormhole');
      expect(r.out).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is a usage error without --model', async () => {
    const r = await vigil(['evaluate', '--data', 'x.csv']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--model');
  });
});
