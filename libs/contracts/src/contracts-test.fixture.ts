import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { CONTRACT_SAMPLES, contractSamplePath } from './contract.samples';

export const SAMPLES = CONTRACT_SAMPLES;
export const samplePath = contractSamplePath;

/** Sample lines decoded as latin1, so every byte (the raw 0x96) survives as one char. */
export function sampleLines(name: string, encoding: BufferEncoding = 'utf8'): string[] {
  return gunzipSync(readFileSync(samplePath(name))).toString(encoding).split('\n').filter((l) => l.length > 0);
}

/** ../shared/datasets next to the repo root, or null when this checkout has none. */
export function sharedDatasets(): string | null {
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'nx.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
  const datasets = path.resolve(dir, '..', 'shared', 'datasets');
  return existsSync(datasets) ? datasets : null;
}
