// Runs forest tree jobs in worker threads over shared memory (or in-process for one worker).
// Trees are handed out one at a time, so a slow tree never idles the other cores, and results
// are keyed by tree index, so the forest is identical for any worker count.
import path from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { TrainingWorkerError } from './training.errors';
import { type GrownTree } from './tree-builder';
import { type ForestShared, buildForestTree } from './forest.tree-job';

export interface TreeJobRun {
  readonly shared: ForestShared;
  readonly nTrees: number;
  readonly workers: number;
  readonly onTreeDone: (index: number, tree: GrownTree) => void;
}

export async function runTreeJobs(run: TreeJobRun): Promise<void> {
  const nWorkers = Math.min(run.workers, run.nTrees);
  if (nWorkers <= 1) {
    for (let i = 0; i < run.nTrees; i++) {
      run.onTreeDone(i, buildForestTree(run.shared, i));
      await yieldToLoop();
    }
    return;
  }
  await runInWorkers({ ...run, shared: toSharedMemory(run.shared) }, nWorkers);
}

function sharedCopy<T extends Uint8Array | Int32Array | Float64Array>(src: T): T {
  if (src.buffer instanceof SharedArrayBuffer) return src;
  const Ctor = src.constructor as new (b: SharedArrayBuffer) => T;
  const out = new Ctor(new SharedArrayBuffer(src.byteLength));
  out.set(src as never);
  return out;
}

function toSharedMemory(s: ForestShared): ForestShared {
  return {
    ...s,
    codes: sharedCopy(s.codes),
    nBins: sharedCopy(s.nBins),
    y: sharedCopy(s.y),
    sampleWeight: s.sampleWeight ? sharedCopy(s.sampleWeight) : null,
    classWeight: sharedCopy(s.classWeight),
  };
}

function runInWorkers(run: TreeJobRun, nWorkers: number): Promise<void> {
  const entry = path.join(__dirname, 'forest.worker.js');
  const pool: Worker[] = [];
  return new Promise<void>((resolve, reject) => {
    let next = 0;
    let done = 0;
    let failed = false;
    const finish = (err?: Error): void => {
      if (failed) return;
      if (err) failed = true;
      for (const w of pool) void w.terminate();
      if (err) reject(err);
      else resolve();
    };
    const dispatch = (w: Worker): void => {
      if (next < run.nTrees) w.postMessage({ index: next++ });
    };
    for (let i = 0; i < nWorkers; i++) {
      const w = new Worker(entry, { workerData: run.shared });
      pool.push(w);
      w.on('message', (msg: { index: number; tree?: GrownTree; error?: string }) => {
        if (failed) return;
        if (msg.error !== undefined || !msg.tree) return finish(new TrainingWorkerError(`tree ${msg.index} failed: ${msg.error}`));
        run.onTreeDone(msg.index, msg.tree);
        if (++done === run.nTrees) return finish();
        dispatch(w);
      });
      w.on('error', (err) => finish(new TrainingWorkerError('training worker crashed', err)));
      dispatch(w);
    }
  });
}
