// Needs ../shared/datasets (the NSL-KDD training file): skips, saying so, without it.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { runCli } from '../command/cli-runner';
import { commands } from '../commands';
import { repoRoot } from '../train/repo.paths';

const ROOT = repoRoot(__dirname);
const TRAIN = path.resolve(ROOT, '..', 'shared', 'datasets', 'nsl-kdd', 'KDDTrain+.txt.gz');
const present = existsSync(TRAIN);
if (!present) process.stderr.write(`analyze-drift.int-spec: ${TRAIN} is absent; the self-drift check is skipped\n`);

function sink(): Writable & { text: string } {
  const w = new Writable({ write(chunk: Buffer, _enc, cb) { (w as unknown as { text: string }).text += chunk.toString(); cb(); } }) as Writable & { text: string };
  w.text = '';
  return w;
}

(present ? describe : describe.skip)('vigil analyze --drift on the training file', () => {
  it('finds ~0 PSI of KDDTrain+ against the reference histograms its detector was trained with', async () => {
    const stdout = sink();
    const code = await runCli({ argv: ['analyze', TRAIN, '--json', '--drift'], commands, io: { stdout, stderr: sink(), cwd: ROOT, env: {} } });
    expect(code).toBe(0);
    const d = (JSON.parse(stdout.text) as { drift: Record<string, { rows: number; overall: number; alert: boolean; top: { psi: number }[] }> }).drift['threat-detector-nsl-kdd'];
    expect(d.rows).toBe(125_973);
    expect(d.overall).toBeLessThan(1e-3);
    expect(d.top[0].psi).toBeLessThan(1e-2);
    expect(d.alert).toBe(false);
  }, 120_000);
});
