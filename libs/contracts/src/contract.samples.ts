import path from 'node:path';

/**
 * The committed real samples of every layout (libs/contracts/test-data/README.md says where
 * each comes from). Exported so other projects' tests read real rows instead of inventing them.
 */
export const CONTRACT_SAMPLES = {
  nslKdd: 'nsl-kdd-train.txt.gz',
  mlcve: 'cic-ids2017-mlcve.csv.gz',
  mlcveCp1252: 'cic-ids2017-mlcve-cp1252.csv.gz',
  westernoc2: 'cic-ids2017-westernoc2.csv.gz',
  improved: 'cic-ids2017-improved.csv.gz',
  cse2018: 'cse-cic-ids2018-style.csv.gz',
} as const;

export type ContractSample = (typeof CONTRACT_SAMPLES)[keyof typeof CONTRACT_SAMPLES];

/** Absolute path of a sample; resolves from src/ and from its compiled copy in dist/ alike. */
export function contractSamplePath(name: ContractSample | string): string {
  return path.resolve(__dirname, '..', 'test-data', name);
}
