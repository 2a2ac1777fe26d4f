// Reads labelled flow files of one contract into one table: the contract-order feature block,
// the envelopes (for context features) and the canonical labels, plus each file's sha256 so
// a manifest can prove which bytes it was trained on.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { type CanonicalLabel, type ContractId, type FlowBatch, type FlowEnvelope, ROW_ERROR_CODES, readFlowFile } from '@vigil/contracts';
import { TrainingInputError, UnknownLabelError } from '../training.errors';

export interface TableFile {
  /** The path as recorded (repo-relative, `../shared/...`). */
  readonly path: string;
  readonly sha256: string;
  readonly rows: number;
}

export interface TrainingTable {
  readonly contract: ContractId;
  readonly count: number;
  /** count × contract features, contract order. */
  readonly features: Float32Array;
  readonly envelopes: FlowEnvelope[];
  readonly labels: CanonicalLabel[];
  readonly files: TableFile[];
  /** Rows the parser rejected, per file. */
  readonly rejectedRows: number;
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** A label the contract does not know is never skipped quietly: it names a data or contract problem. */
export function rejectUnknownLabels(batch: FlowBatch, file: string): void {
  const bad = batch.errors.find((e) => e.code === ROW_ERROR_CODES.unknownLabel);
  if (bad) throw new UnknownLabelError({ file, row: bad.row, reason: bad.reason, contract: batch.contract.id });
}

/** `files`: { read: path to open, record: path to write in the manifest }. */
export async function readTrainingTable(args: { contract: ContractId; files: readonly { read: string; record: string }[] }): Promise<TrainingTable> {
  const parts: Float32Array[] = [];
  const envelopes: FlowEnvelope[] = [];
  const labels: CanonicalLabel[] = [];
  const files: TableFile[] = [];
  let rejectedRows = 0;
  for (const file of args.files) {
    let rows = 0;
    for await (const batch of readFlowFile(file.read, { contract: args.contract, batchSize: 8192 })) {
      const width = batch.contract.features.length;
      parts.push(batch.features.slice(0, batch.count * width));
      rejectUnknownLabels(batch, file.record);
      rejectedRows += batch.errors.length;
      for (let i = 0; i < batch.count; i++) {
        const label = batch.labels[i];
        if (label === null) throw new TrainingInputError(`${file.record} line ${batch.rowNumbers[i]} has no label; training needs labelled rows`, { file: file.record });
        labels.push(label);
        envelopes.push(batch.envelopes[i]);
      }
      rows += batch.count;
    }
    files.push({ path: file.record, sha256: await sha256File(file.read), rows });
  }
  return { contract: args.contract, count: labels.length, features: concat(parts), envelopes, labels, files, rejectedRows };
}
