import { type FeatureSpec } from './contract.types';

/**
 * One row per canonical CICFlowMeter feature, in canonical order (the CICFlowMeter-v4 order of
 * the improved CIC-IDS2017). Columns: canonical name (the MachineLearningCVE name, trimmed;
 * v4-only features keep the v4 name), improved CIC-IDS2017 / CICFlowMeter-v4 name,
 * CSE-CIC-IDS2018 name, unit. `null` = that layout does not carry the feature.
 */
type FeatureRow = readonly [canonical: string, improved: string, cse2018: string | null, unit: string, mlcve?: false];

const ROWS: readonly FeatureRow[] = [
  ['Flow Duration', 'Flow Duration', 'Flow Duration', 'µs'],
  ['Total Fwd Packets', 'Total Fwd Packet', 'Tot Fwd Pkts', 'packets'],
  ['Total Backward Packets', 'Total Bwd packets', 'Tot Bwd Pkts', 'packets'],
  ['Total Length of Fwd Packets', 'Total Length of Fwd Packet', 'TotLen Fwd Pkts', 'bytes'],
  ['Total Length of Bwd Packets', 'Total Length of Bwd Packet', 'TotLen Bwd Pkts', 'bytes'],
  ...stats('Fwd Packet Length', 'Fwd Packet Length', 'Fwd Pkt Len', 'bytes'),
  ...stats('Bwd Packet Length', 'Bwd Packet Length', 'Bwd Pkt Len', 'bytes'),
  ['Flow Bytes/s', 'Flow Bytes/s', 'Flow Byts/s', 'bytes/s'],
  ['Flow Packets/s', 'Flow Packets/s', 'Flow Pkts/s', 'packets/s'],
  ...(['Mean', 'Std', 'Max', 'Min'] as const).map((s): FeatureRow => [`Flow IAT ${s}`, `Flow IAT ${s}`, `Flow IAT ${s}`, 'µs']),
  ...iat('Fwd'),
  ...iat('Bwd'),
  ['Fwd PSH Flags', 'Fwd PSH Flags', 'Fwd PSH Flags', 'count'],
  ['Bwd PSH Flags', 'Bwd PSH Flags', 'Bwd PSH Flags', 'count'],
  ['Fwd URG Flags', 'Fwd URG Flags', 'Fwd URG Flags', 'count'],
  ['Bwd URG Flags', 'Bwd URG Flags', 'Bwd URG Flags', 'count'],
  ['Fwd RST Flags', 'Fwd RST Flags', null, 'count', false],
  ['Bwd RST Flags', 'Bwd RST Flags', null, 'count', false],
  ['Fwd Header Length', 'Fwd Header Length', 'Fwd Header Len', 'bytes'],
  ['Bwd Header Length', 'Bwd Header Length', 'Bwd Header Len', 'bytes'],
  ['Fwd Packets/s', 'Fwd Packets/s', 'Fwd Pkts/s', 'packets/s'],
  ['Bwd Packets/s', 'Bwd Packets/s', 'Bwd Pkts/s', 'packets/s'],
  ['Min Packet Length', 'Packet Length Min', 'Pkt Len Min', 'bytes'],
  ['Max Packet Length', 'Packet Length Max', 'Pkt Len Max', 'bytes'],
  ['Packet Length Mean', 'Packet Length Mean', 'Pkt Len Mean', 'bytes'],
  ['Packet Length Std', 'Packet Length Std', 'Pkt Len Std', 'bytes'],
  ['Packet Length Variance', 'Packet Length Variance', 'Pkt Len Var', 'bytes²'],
  ...(['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG'] as const).map((f): FeatureRow => [`${f} Flag Count`, `${f} Flag Count`, `${f} Flag Cnt`, 'count']),
  // CICFlowMeter-v3 misspells CWR as CWE; v4 fixed the name, not the meaning.
  ['CWE Flag Count', 'CWR Flag Count', 'CWE Flag Count', 'count'],
  ['ECE Flag Count', 'ECE Flag Count', 'ECE Flag Cnt', 'count'],
  ['Down/Up Ratio', 'Down/Up Ratio', 'Down/Up Ratio', 'ratio'],
  ['Average Packet Size', 'Average Packet Size', 'Pkt Size Avg', 'bytes'],
  ['Avg Fwd Segment Size', 'Fwd Segment Size Avg', 'Fwd Seg Size Avg', 'bytes'],
  ['Avg Bwd Segment Size', 'Bwd Segment Size Avg', 'Bwd Seg Size Avg', 'bytes'],
  ...bulk('Fwd'),
  ...bulk('Bwd'),
  ['Subflow Fwd Packets', 'Subflow Fwd Packets', 'Subflow Fwd Pkts', 'packets'],
  ['Subflow Fwd Bytes', 'Subflow Fwd Bytes', 'Subflow Fwd Byts', 'bytes'],
  ['Subflow Bwd Packets', 'Subflow Bwd Packets', 'Subflow Bwd Pkts', 'packets'],
  ['Subflow Bwd Bytes', 'Subflow Bwd Bytes', 'Subflow Bwd Byts', 'bytes'],
  ['Init_Win_bytes_forward', 'FWD Init Win Bytes', 'Init Fwd Win Byts', 'bytes'],
  ['Init_Win_bytes_backward', 'Bwd Init Win Bytes', 'Init Bwd Win Byts', 'bytes'],
  ['act_data_pkt_fwd', 'Fwd Act Data Pkts', 'Fwd Act Data Pkts', 'packets'],
  ['min_seg_size_forward', 'Fwd Seg Size Min', 'Fwd Seg Size Min', 'bytes'],
  ...(['Active', 'Idle'] as const).flatMap((p) =>
    (['Mean', 'Std', 'Max', 'Min'] as const).map((s): FeatureRow => [`${p} ${s}`, `${p} ${s}`, `${p} ${s}`, 'µs']),
  ),
  ['ICMP Code', 'ICMP Code', null, 'code', false],
  ['ICMP Type', 'ICMP Type', null, 'code', false],
  ['Total TCP Flow Time', 'Total TCP Flow Time', null, 'µs', false],
];

function stats(canonical: string, improved: string, cse: string, unit: string): FeatureRow[] {
  return (['Max', 'Min', 'Mean', 'Std'] as const).map((s) => [`${canonical} ${s}`, `${improved} ${s}`, `${cse} ${s}`, unit]);
}

function iat(dir: 'Fwd' | 'Bwd'): FeatureRow[] {
  return (['Total', 'Mean', 'Std', 'Max', 'Min'] as const).map((s) => [
    `${dir} IAT ${s}`, `${dir} IAT ${s}`, `${dir} IAT ${s === 'Total' ? 'Tot' : s}`, 'µs',
  ]);
}

function bulk(dir: 'Fwd' | 'Bwd'): FeatureRow[] {
  return [
    [`${dir} Avg Bytes/Bulk`, `${dir} Bytes/Bulk Avg`, `${dir} Byts/b Avg`, 'bytes'],
    [`${dir} Avg Packets/Bulk`, `${dir} Packet/Bulk Avg`, `${dir} Pkts/b Avg`, 'packets'],
    [`${dir} Avg Bulk Rate`, `${dir} Bulk Rate Avg`, `${dir} Blk Rate Avg`, 'bytes/s'],
  ];
}

export const CIC_FEATURES: readonly FeatureSpec[] = ROWS.map(([name, , , unit]) => ({ name, kind: 'numeric', unit }));

/** Canonical names the MachineLearningCVE layout (and the westernoc2 copy) carries. */
export const CIC_MLCVE_FEATURES: readonly string[] = ROWS.filter((r) => r[4] !== false).map((r) => r[0]);
export const CIC_IMPROVED_COLUMNS: readonly string[] = ROWS.map((r) => r[1]);
export const CIC_CSE2018_COLUMNS: readonly string[] = ROWS.flatMap((r) => (r[2] === null ? [] : [r[2]]));

/** Every spelling of every feature, canonical index by normalised key. */
export function cicFeatureAliases(): Map<string, number> {
  const aliases = new Map<string, number>();
  ROWS.forEach((row, index) => {
    for (const name of [row[0], row[1], row[2]]) {
      if (name === null) continue;
      const key = normaliseColumnName(name);
      // Two features sharing a normalised spelling would silently swap columns.
      if ((aliases.get(key) ?? index) !== index) throw new Error(`cicflowmeter alias collision: ${name}`);
      aliases.set(key, index);
    }
  });
  // pandas' name for the second " Fwd Header Length" column of MachineLearningCVE.
  aliases.set(normaliseColumnName('Fwd Header Length.1'), aliases.get(normaliseColumnName('Fwd Header Length')) ?? -1);
  return aliases;
}

/** Case, spaces and punctuation differ between tools; the letters and digits do not. */
export function normaliseColumnName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}
