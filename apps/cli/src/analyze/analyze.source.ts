// Where `vigil analyze` gets its batches: a parse worker (default; parsing and inference then
// use both cores) or the main thread (tests, one core). Both yield the same FlowBatches.
import { createReadStream, statSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { type ContractId, type FlowBatch, getContract, readFlowStream } from '@vigil/contracts';
import { AnalyzeError } from './analyze.errors';

export interface SourceBatch {
  readonly batch: FlowBatch;
  /** Compressed bytes of the file read so far (progress). */
  readonly bytesRead: number;
}

export interface SourceOptions {
  readonly file: string;
  readonly contract?: ContractId;
  readonly batchSize: number;
  readonly inWorker: boolean;
}

export function fileSize(file: string): number {
  return statSync(file).size;
}

export function readBatches(opts: SourceOptions): AsyncIterable<SourceBatch> {
  return opts.inWorker ? workerBatches(opts) : mainThreadBatches(opts);
}

async function* mainThreadBatches(opts: SourceOptions): AsyncGenerator<SourceBatch> {
  const progress = { bytes: 0 };
  async function* counted(): AsyncGenerator<Uint8Array> {
    for await (const chunk of createReadStream(opts.file, { highWaterMark: 1024 * 1024 })) {
      progress.bytes += (chunk as Buffer).length;
      yield chunk as Buffer;
    }
  }
  for await (const batch of readFlowStream(counted(), { contract: opts.contract, batchSize: opts.batchSize })) yield { batch, bytesRead: progress.bytes };
}

type WorkerMessage =
  | { type: 'batch'; bytesRead: number; batch: Omit<FlowBatch, 'contract'> & { contractId: ContractId } }
  | { type: 'end'; bytesRead: number }
  | { type: 'error'; error: { code?: string; message: string; details?: Record<string, unknown> } };

// Batches parsed ahead of inference: two keep both cores busy; more only add memory.
const IN_FLIGHT = 2;

async function* workerBatches(opts: SourceOptions): AsyncGenerator<SourceBatch> {
  const worker = new Worker(path.join(__dirname, 'analyze.worker.js'), {
    workerData: { file: opts.file, contract: opts.contract, batchSize: opts.batchSize, maxInFlight: IN_FLIGHT },
    // The parser's garbage is short-lived; a small old generation keeps the process's RSS flat.
    resourceLimits: { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 8 },
  });
  const queue: WorkerMessage[] = [];
  let wake: (() => void) | null = null;
  const push = (m: WorkerMessage): void => {
    queue.push(m);
    wake?.();
    wake = null;
  };
  worker.on('message', push);
  worker.on('error', (e) => push({ type: 'error', error: { message: e.message } }));
  try {
    for (;;) {
      while (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      const m = queue.shift() as WorkerMessage;
      if (m.type === 'end') return;
      if (m.type === 'error') throw new AnalyzeError('ANALYZE.READ_FAILED', `${opts.file}: ${m.error.code ? `${m.error.code}: ` : ''}${m.error.message}`, { file: opts.file, ...m.error.details });
      const { contractId, ...rest } = m.batch;
      worker.postMessage({ type: 'credit' });
      yield { batch: { ...rest, contract: getContract(contractId) }, bytesRead: m.bytesRead };
    }
  } finally {
    await worker.terminate();
  }
}
