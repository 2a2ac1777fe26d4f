import { createReadStream } from 'node:fs';
import { createBatchParser, type BatchParser } from './batch.parser';
import { ContractError } from './contract.errors';
import { type ContractId, type FlowBatch } from './contract.types';
import { detectFormat, type FormatDetection } from './format.detection';
import { readLines } from './line.reader';

export interface ReadFlowOptions {
  /** Rows per batch (default 1024). */
  batchSize?: number;
  /** Only accept layouts of this contract. */
  contract?: ContractId;
}

/** Async iterable of batches that also exposes what it detected once iteration started. */
export interface FlowReader extends AsyncIterable<FlowBatch> {
  readonly detection: FormatDetection | undefined;
  /** Categorical values outside the vocabulary seen so far, per feature, with counts. */
  unknownValues(): Record<string, Record<string, number>>;
}

/** Streams a .csv/.txt file, plain or gzip (by magic bytes), in constant memory. */
export function readFlowFile(path: string, options: ReadFlowOptions = {}): FlowReader {
  return readFlowStream(createReadStream(path, { highWaterMark: 1024 * 1024 }), options);
}

/** Same as readFlowFile for any byte source (an upload, a socket, a test buffer). */
export function readFlowStream(source: AsyncIterable<Uint8Array>, options: ReadFlowOptions = {}): FlowReader {
  const batchSize = Math.max(1, Math.floor(options.batchSize ?? 1024));
  let parser: BatchParser | undefined;
  async function* batches(): AsyncGenerator<FlowBatch> {
    let lines: string[] = [];
    let rows: number[] = [];
    for await (const chunk of readLines(source)) {
      let from = 0;
      if (parser === undefined) {
        parser = createBatchParser(detectFormat(chunk.lines[0], { contract: options.contract }));
        if (parser.detection.hasHeader) from = 1;
      }
      for (let i = from; i < chunk.lines.length; i++) {
        lines.push(chunk.lines[i]);
        rows.push(chunk.rows[i]);
        if (lines.length === batchSize) {
          yield parser.parseRows(lines, rows);
          lines = [];
          rows = [];
        }
      }
    }
    if (parser === undefined) {
      throw new ContractError({ code: 'CONTRACTS.UNKNOWN_FORMAT', message: 'The file holds no header and no rows' });
    }
    if (lines.length > 0) yield parser.parseRows(lines, rows);
  }
  return {
    get detection() {
      return parser?.detection;
    },
    unknownValues: () => parser?.unknownValues() ?? {},
    [Symbol.asyncIterator]: () => batches(),
  };
}
