// `vigil analyze` end to end as a user runs it (a child process of the built CLI): rows/s
// with the parse worker (both cores) against the single-threaded baseline on the main thread
// (VIGIL_ANALYZE_IN_PROCESS=1), same file, same run, runs interleaved, and the peak RSS (VmHWM)
// of each against the 300 MB bound. Files are generated in the OS temp dir by repeating
// real rows (ANALYZE_BENCH_MB each, default 300; the 2 GB check is ANALYZE_BENCH_MB=2048) and
// deleted after: the committed CIC-IDS2017 sample, and KDDTrain+ from ../shared/datasets (the
// committed NSL-KDD sample when the datasets are absent). NSL-KDD is the heavy case for memory:
// its two 116k-node forests; it is also run with --explain saabas --out (peak RSS, rows/s).
// Explanation cost: --explain saabas / treeshap on a small CIC cut.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { CONTRACT_SAMPLES, contractSamplePath } from '@vigil/contracts';
import { SHARED_DATASETS, log, median, report } from './bench.report';

const ROOT = process.cwd();
// The compiled CLI next to this compiled bench (dist/bench -> dist/apps/cli/src/main.js).
const CLI = path.resolve(__dirname, '..', 'apps', 'cli', 'src', 'main.js');
const RUNS = 3;
const RSS_BOUND_MB = 300;
const KDD_TRAIN = path.join(SHARED_DATASETS, 'nsl-kdd', 'KDDTrain+.txt.gz');

/** Repeats the real rows of a gzip flow file (its first line kept once when it is a header). */
async function generate(file: string, source: string, megabytes: number): Promise<number> {
  const lines = gunzipSync(readFileSync(source)).toString('utf8').trimEnd().split('\n');
  const header = /^\d/.test(lines[0]) ? undefined : lines.shift();
  const rows = lines;
  const block = `${rows.join('\n')}\n`;
  const out = createWriteStream(file);
  if (header !== undefined) out.write(`${header}\n`);
  let written = 0;
  let n = 0;
  while (written < megabytes * 1024 * 1024) {
    if (!out.write(block)) await once(out, 'drain');
    written += block.length;
    n += rows.length;
  }
  out.end();
  await once(out, 'finish');
  return n;
}

interface Run { rowsPerSecond: number; rows: number; threats: number; peakRssMb: number }

async function analyze(file: string, opts: { inProcess: boolean; extra?: string[] }): Promise<Run> {
  const child = spawn(process.execPath, [CLI, 'analyze', file, '--json', ...(opts.extra ?? [])], {
    cwd: ROOT, env: { ...process.env, VIGIL_ANALYZE_IN_PROCESS: opts.inProcess ? '1' : '0' }, stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  let peak = 0;
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const poll = setInterval(() => {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (m) peak = Math.max(peak, Number(m[1]) / 1024);
    } catch {
      // the process just ended
    }
  }, 200);
  const [code] = (await once(child, 'exit')) as [number];
  clearInterval(poll);
  if (code !== 0) throw new Error(`vigil analyze exited with ${code}`);
  const j = JSON.parse(out) as { rowsPerSecond: number; rows: number; threats: number };
  return { rowsPerSecond: j.rowsPerSecond, rows: j.rows, threats: j.threats, peakRssMb: Math.round(peak) };
}

async function compare(file: string, label: string): Promise<void> {
  const worker: Run[] = [];
  const single: Run[] = [];
  for (let i = 0; i < RUNS; i++) {
    worker.push(await analyze(file, { inProcess: false }));
    single.push(await analyze(file, { inProcess: true }));
  }
  const w = median(worker.map((r) => r.rowsPerSecond));
  const s = median(single.map((r) => r.rowsPerSecond));
  log(`${label}: ${worker[0].rows} rows, ${worker[0].threats} threats; worker ${w} rows/s, main thread ${s} rows/s`);
  report({ name: `analyze ${label}: rows/s (parse worker + main-thread inference)`, value: w, unit: 'rows/s', baseline: s, ratio: w / s, note: `baseline: everything on the main thread; median of ${RUNS}` });
  const peak = Math.max(...worker.map((r) => r.peakRssMb));
  log(`${label}: peak RSS worker ${peak} MB (bound ${RSS_BOUND_MB} MB), main thread ${Math.max(...single.map((r) => r.peakRssMb))} MB`);
  report({ name: `analyze ${label}: peak RSS`, value: peak, unit: 'MB', baseline: Math.max(...single.map((r) => r.peakRssMb)), note: `VmHWM of the CLI process, worst of ${RUNS}; bound ${RSS_BOUND_MB} MB; baseline: main thread only` });
}

/** --explain saabas on the whole big file (every threat explained, top 3 into --out): peak RSS against the bound. */
async function explainedPeak(file: string, label: string): Promise<void> {
  const out = path.join(path.dirname(file), 'results.csv');
  const runs: Run[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await analyze(file, { inProcess: false, extra: ['--explain', 'saabas', '--out', out] }));
  rmSync(out, { force: true });
  const peak = Math.max(...runs.map((r) => r.peakRssMb));
  log(`${label} --explain saabas --out: peak RSS ${peak} MB, ${median(runs.map((r) => r.rowsPerSecond))} rows/s`);
  report({ name: `analyze ${label} --explain saabas --out: peak RSS`, value: peak, unit: 'MB', note: `VmHWM of the CLI process, worst of ${RUNS}; bound ${RSS_BOUND_MB} MB; every one of ${runs[0].threats} threats explained` });
  report({ name: `analyze ${label} --explain saabas --out: rows/s`, value: median(runs.map((r) => r.rowsPerSecond)), unit: 'rows/s', note: `median of ${RUNS}` });
}

async function explanations(file: string): Promise<void> {
  const plain = await analyze(file, { inProcess: false });
  for (const method of ['saabas', 'treeshap']) {
    const r = await analyze(file, { inProcess: false, extra: ['--out', path.join(path.dirname(file), 'results.csv'), '--explain', method] });
    const base = await analyze(file, { inProcess: false, extra: ['--out', path.join(path.dirname(file), 'results.csv')] });
    report({ name: `analyze with --explain ${method} (every threat, top 3 in --out)`, value: r.rowsPerSecond, unit: 'rows/s', baseline: base.rowsPerSecond, ratio: r.rowsPerSecond / base.rowsPerSecond, note: `${plain.threats} of ${plain.rows} rows are threats; baseline: --out without explanations` });
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'vigil-analyze-bench-'));
  try {
    const mb = Number(process.env.ANALYZE_BENCH_MB ?? 300);
    const kdd = existsSync(KDD_TRAIN) ? { source: KDD_TRAIN, label: `NSL-KDD KDDTrain+ ${mb} MB` } : { source: contractSamplePath(CONTRACT_SAMPLES.nslKdd), label: `NSL-KDD sample ${mb} MB` };
    if (kdd.source !== KDD_TRAIN) log(`${KDD_TRAIN} is absent: NSL-KDD repeats the committed sample instead`);
    for (const { source, label } of [{ source: contractSamplePath(CONTRACT_SAMPLES.improved), label: `CIC improved ${mb} MB` }, kdd]) {
      const file = path.join(dir, `${label.replace(/\W+/g, '-')}.csv`);
      await generate(file, source, mb);
      await compare(file, label);
      // NSL-KDD is the heavy case for memory (its detector's 116k-node forest explained in process).
      if (source !== contractSamplePath(CONTRACT_SAMPLES.improved)) await explainedPeak(file, label);
      rmSync(file);
    }
    const small = path.join(dir, 'explain.csv');
    await generate(small, contractSamplePath(CONTRACT_SAMPLES.improved), 5);
    await explanations(small);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  log(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
