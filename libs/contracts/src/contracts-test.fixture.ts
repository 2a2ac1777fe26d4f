import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';

/** The committed real samples (see libs/contracts/test-data/README.md). */
export const SAMPLES = {
  nslKdd: 'nsl-kdd-train.txt.gz',
  mlcve: 'cic-ids2017-mlcve.csv.gz',
  mlcveCp1252: 'cic-ids2017-mlcve-cp1252.csv.gz',
  westernoc2: 'cic-ids2017-westernoc2.csv.gz',
  improved: 'cic-ids2017-improved.csv.gz',
  cse2018: 'cse-cic-ids2018-style.csv.gz',
} as const;

export function samplePath(name: string): string {
  return path.resolve(__dirname, '..', 'test-data', name);
}

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
