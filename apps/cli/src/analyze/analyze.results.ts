// results.csv: one line per scored row, written batch by batch with backpressure.
import { type WriteStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { type FlowEnvelope } from '@vigil/contracts';
import { type FeatureContribution } from '@vigil/ml';

export const RESULT_COLUMNS = [
  'file', 'row', 'flow_id', 'src_ip', 'src_port', 'dst_ip', 'dst_port', 'label', 'probability', 'class', 'class_probability', 'detector', 'classifier', 'top_features',
] as const;

export interface ResultRow {
  readonly file: string;
  readonly row: number;
  readonly envelope: FlowEnvelope;
  readonly label: string;
  readonly probability: number;
  readonly attackClass?: string;
  readonly classProbability?: number;
  readonly detector: string;
  readonly classifier?: string;
  readonly top?: readonly FeatureContribution[];
}

function cell(v: string | number | undefined): string {
  if (v === undefined) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** `feature=value:+contribution` joined by `;`, largest first. */
export function formatTop(top: readonly FeatureContribution[]): string {
  return top.map((t) => `${t.feature}=${t.value}:${t.contribution >= 0 ? '+' : ''}${t.contribution.toPrecision(4)}`).join(';');
}

export class ResultsWriter {
  private readonly stream: WriteStream;

  constructor(path: string) {
    this.stream = createWriteStream(path);
    this.stream.write(`${RESULT_COLUMNS.join(',')}\n`);
  }

  async write(rows: readonly ResultRow[]): Promise<void> {
    const text = rows.map((r) => [
      r.file, r.row, r.envelope.flowId, r.envelope.srcIp, r.envelope.srcPort, r.envelope.dstIp, r.envelope.dstPort, r.label, r.probability,
      r.attackClass, r.classProbability, r.detector, r.classifier, r.top ? formatTop(r.top) : undefined,
    ].map(cell).join(',')).join('\n');
    if (text !== '' && !this.stream.write(`${text}\n`)) await once(this.stream, 'drain');
  }

  async close(): Promise<void> {
    this.stream.end();
    await once(this.stream, 'finish');
  }
}
