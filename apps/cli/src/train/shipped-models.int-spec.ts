// Every shipped model rebuilds byte for byte from ../shared/datasets with the command its
// manifest records: same model.onnx, same manifest.json (sha256 compared).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { resolveTrainSpec, trainModel } from '@vigil/ml';
import { parseTrainArgs } from './train.args';
import { repoRoot } from './repo.paths';

const ROOT = repoRoot(__dirname);
const SHARED = path.resolve(ROOT, '..', 'shared', 'datasets');
const MODELS = path.join(ROOT, 'models');
const versions = existsSync(MODELS)
  ? readdirSync(MODELS).flatMap((name) => readdirSync(path.join(MODELS, name)).map((v) => path.join('models', name, v)))
  : [];

const sha = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');

/** The recorded command back to argv (paths in it hold no spaces by construction). */
function argvOf(command: string): string[] {
  const words = command.split(/\s+/);
  expect(words.slice(0, 3)).toEqual(['npx', 'vigil', 'train']);
  return words.slice(3);
}

(existsSync(SHARED) ? describe : describe.skip)(`shipped models rebuild byte for byte${existsSync(SHARED) ? '' : ' (skipped: ../shared/datasets absent)'}`, () => {
  it('ships the four models', () => {
    expect(versions.sort()).toEqual([
      'models/attack-classifier-cicflowmeter/1', 'models/attack-classifier-nsl-kdd/1', 'models/threat-detector-cicflowmeter/1', 'models/threat-detector-nsl-kdd/1',
    ]);
  });

  it.each(versions)('%s', async (dir) => {
    const manifestText = readFileSync(path.join(ROOT, dir, 'manifest.json'), 'utf8');
    const { command } = (JSON.parse(manifestText) as { training: { command: string } }).training;
    const inv = parseTrainArgs(argvOf(command), ROOT);
    expect(inv.command).toBe(command);
    expect(path.relative(ROOT, inv.outDir)).toBe(dir);
    const result = await trainModel({ spec: resolveTrainSpec(inv.request), files: inv.files, name: inv.name, version: inv.version, command: inv.command });
    expect(sha(`${JSON.stringify(result.manifest, null, 2)}\n`)).toBe(sha(manifestText));
    expect(sha(result.onnx)).toBe(sha(readFileSync(path.join(ROOT, dir, 'model.onnx'))));
  }, 300_000);
});
