import path from 'node:path';
import { sharedDatasets } from './contracts-test.fixture';
import { readFlowFile } from './flow-file.reader';

// Row and class counts as ../shared/datasets/README.md states them.
const FILES = [
  {
    file: 'nsl-kdd/KDDTrain+.txt.gz', variant: 'nsl-kdd/unb-text', rows: 125_973,
    classes: {
      normal: 67343, neptune: 41214, satan: 3633, ipsweep: 3599, portsweep: 2931, smurf: 2646, nmap: 1493, back: 956,
      teardrop: 892, warezclient: 890, pod: 201, guess_passwd: 53, buffer_overflow: 30, warezmaster: 20, land: 18,
      imap: 11, rootkit: 10, loadmodule: 9, ftp_write: 8, multihop: 7, phf: 4, perl: 3, spy: 2,
    },
  },
  { file: 'nsl-kdd/KDDTrain+_20Percent.txt.gz', variant: 'nsl-kdd/unb-text', rows: 25_192 },
  {
    file: 'cic-ids2017/train.csv.gz', variant: 'cicflowmeter/cic-ids2017-mlcve', rows: 27_496,
    classes: {
      BENIGN: 24165, 'Web Attack - Brute Force': 1176, DDoS: 803, PortScan: 775, 'Web Attack - XSS': 522,
      Infiltration: 29, 'Web Attack - Sql Injection': 17, Heartbleed: 9,
    },
  },
  {
    file: 'cic-ids2017-westernoc2-sample/train.csv.gz', variant: 'cicflowmeter/cic-ids2017-mlcve-stripped', rows: 9_644,
    classes: { DoS: 5325, BENIGN: 1621, BruteForce: 1439, Bot: 1153, PortScan: 106 },
  },
  {
    file: 'cic-ids2017-improved/train.csv.gz', variant: 'cicflowmeter/cic-ids2017-improved', rows: 45_022,
    classes: {
      BENIGN: 5994, 'DoS Hulk': 5932, PortScan: 5929, DDoS: 5890, 'Infiltration - Portscan': 5863, 'DoS GoldenEye': 4679,
      'FTP-Patator': 3178, 'DoS slowloris': 3087, 'SSH-Patator': 2369, 'DoS Slowhttptest': 1392, Bot: 589,
      'Web Attack - Brute Force': 58, Infiltration: 29, 'Web Attack - XSS': 14, 'Web Attack - Sql Injection': 10, Heartbleed: 9,
    },
  },
];

const datasets = sharedDatasets();

describe('full datasets of ../shared/datasets', () => {
  if (datasets === null) {
    it('are absent in this checkout: skipped (needs ../shared/datasets next to the repo root)', () => {
      expect(datasets).toBeNull();
    });
    return;
  }
  const root = datasets;

  it.each(FILES)('$file parses with zero row errors and the documented counts', async ({ file, variant, rows, classes }) => {
    const reader = readFlowFile(path.join(root, file), { batchSize: 4096 });
    const counts: Record<string, number> = {};
    let total = 0;
    let errors = 0;
    for await (const batch of reader) {
      total += batch.count;
      errors += batch.errors.length;
      for (const label of batch.labels) if (label !== null) counts[label.label] = (counts[label.label] ?? 0) + 1;
    }
    expect(reader.detection?.variant).toBe(variant);
    expect(errors).toBe(0);
    expect(total).toBe(rows);
    if (classes !== undefined) expect(counts).toEqual(classes);
    expect(reader.unknownValues()).toEqual({});
  });
});
