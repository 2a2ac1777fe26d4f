// The whole pipeline, every service its own process (ingestion, detection, classification,
// run from dist-bench/) on the machine's NATS JetStream with file storage: (1) p50/p99 latency
// from a producer's publish of a CSV chunk on `ingest.<contract>` to its detection result, and
// to its threat batch, at a fixed offered load of 10,000 flows/s; (2) sustained flows/s for
// 60 s with the producer kept just ahead of the pipeline, with threat explanations on and off
// (the baseline), each followed by a full drain checking nothing was lost or doubled, for two
// traffic mixes of real rows: the committed samples (attack-heavy: detection flags ~91 % of
// them, so nearly every flow is classified and explained: the worst case for explanations) and,
// where ../shared/datasets is present, the datasets' own mix (the first 25,000 rows of KDDTrain+
// and of the CIC-IDS2017 MachineLearningCVE train file: 53 % and 88 % benign). Runs go on-sample,
// on-dataset, off-dataset, off-sample, off-dataset, on-dataset (the dataset figures are means of
// their two runs, ABBA). Flows
// are cycled, each copy with its own Flow ID. The harness shares the two cores with the
// pipeline, so it does little: chunks are pre-encoded templates whose Flow IDs are patched in
// place, results are tracked per chunk from a few bytes of each detection header, never a full
// JSON parse, and threat batches are received only in the latency phase (the sustained runs
// count flagged flows from the detection headers and read classification's progress from its
// consumer's ack floor, so the observer does not make NATS deliver the threat stream again).
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { type JetStreamClient, type JetStreamManager, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { type NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { CONTRACT_SAMPLES, type ContractId, contractSamplePath, getContract, pipelineTopology } from '@vigil/contracts';
import { expectEventually } from '@vigil/testing';
import { type BenchService, startBenchService } from './bench.services';
import { SHARED_DATASETS, log, percentile, report } from './bench.report';
import { ChunkTracker, chunkTemplates, type ChunkTemplate, makeChunk } from './pipeline.chunks';

const CHUNK = 500;
const CONTRACTS: ContractId[] = ['nsl-kdd', 'cicflowmeter'];
const SUSTAINED_SECONDS = Number(process.env.BENCH_SUSTAINED_SECONDS ?? 60);

const DATASET_ROWS = 25_000;
const DATASETS: Record<ContractId, string> = {
  'nsl-kdd': path.join(SHARED_DATASETS, 'nsl-kdd', 'KDDTrain+.txt.gz'),
  cicflowmeter: path.join(SHARED_DATASETS, 'cic-ids2017', 'train.csv.gz'),
};

type Mix = 'sample' | 'dataset';

function gunzipLines(file: string): string[] {
  return gunzipSync(readFileSync(file)).toString('utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
}

/** The rows of a mix: the committed sample, or the first DATASET_ROWS of the shared dataset (both with their header line, a Flow ID column added). */
function linesOf(contract: ContractId, mix: Mix): { header: string; lines: string[] } {
  const file = mix === 'sample' ? contractSamplePath(contract === 'nsl-kdd' ? CONTRACT_SAMPLES.nslKdd : CONTRACT_SAMPLES.mlcve) : DATASETS[contract];
  const all = gunzipLines(file);
  if (contract === 'nsl-kdd') return { header: [...getContract('nsl-kdd').features.map((f) => f.name), 'label', 'difficulty', 'Flow ID'].join(','), lines: mix === 'sample' ? all : all.slice(0, DATASET_ROWS) };
  const [header, ...lines] = all;
  return { header: `${header},Flow ID`, lines: mix === 'sample' ? lines : lines.slice(0, DATASET_ROWS) };
}

function templatesOf(mix: Mix): Map<ContractId, ChunkTemplate[]> {
  return new Map(CONTRACTS.map((c) => {
    const rows = linesOf(c, mix);
    return [c, chunkTemplates({ ...rows, chunk: CHUNK, variants: mix === 'sample' ? 8 : Math.ceil(rows.lines.length / CHUNK) })];
  }));
}

interface Run {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  topology: ReturnType<typeof pipelineTopology>;
  tracker: ChunkTracker;
  templates: Map<ContractId, ChunkTemplate[]>;
  next: number;
}

async function main(): Promise<void> {
  const topology = pipelineTopology(`bench${process.pid}`);
  const services: BenchService[] = [];
  const nc = await connect({ servers: process.env.NATS_URL ?? 'nats://127.0.0.1:4222' });
  const env = { PIPELINE_PREFIX: topology.prefix, MODEL_SOURCE: 'files' };
  try {
    for (const app of ['ingestion', 'detection', 'classification'] as const) services.push(await startBenchService({ app, env }));
    const run: Run = { nc, js: jetstream(nc), jsm: await jetstreamManager(nc), topology, tracker: new ChunkTracker(nc, topology), next: 0, templates: templatesOf('sample') };
    await fixedLoad(run);
    const datasets = Object.values(DATASETS).every((f) => existsSync(f));
    const mixes = { sample: run.templates, dataset: datasets ? templatesOf('dataset') : undefined };
    const at = (mix: Mix, phase: string): Promise<Sustained> => {
      run.templates = mixes[mix] as Map<ContractId, ChunkTemplate[]>;
      return sustained(run, phase);
    };
    // ABBA over the dataset mix: its on/off runs sit symmetrically around the middle of the
    // session, so drift of the box (or of the streams' size) weighs on both alike.
    let explaining = true;
    const classification = async (on: boolean): Promise<void> => {
      if (on === explaining) return;
      await services[2].stop();
      services[2] = await startBenchService({ app: 'classification', env: { ...env, EXPLANATIONS: on ? 'on' : 'off' } });
      explaining = on;
    };
    const onSample = await at('sample', 'son');
    const onDataset = datasets ? [await at('dataset', 'dn1')] : [];
    await classification(false);
    const offDataset = datasets ? [await at('dataset', 'df1')] : [];
    const offSample = await at('sample', 'sof');
    if (datasets) {
      offDataset.push(await at('dataset', 'df2'));
      await classification(true);
      onDataset.push(await at('dataset', 'dn2'));
    }
    const mean = (runs: Sustained[], key: 'detected' | 'classified'): number => runs.reduce((n, r) => n + r[key], 0) / runs.length;
    const note = 'shipped models; explanations on (Saabas, top 5 per threat); target >= 50,000';
    const pair = (mix: string, on: Sustained[], off: Sustained[]): void => {
      const runs = on.length === 1 ? '' : `mean of ${on.length} runs each (${on.map((r) => Math.round(r.detected)).join(', ')} vs ${off.map((r) => Math.round(r.detected)).join(', ')}), ABBA order; `;
      report({
        name: `pipeline: sustained flows/s (${SUSTAINED_SECONDS} s, detection results stored), ${mix}`, value: mean(on, 'detected'), unit: 'flows/s', baseline: mean(off, 'detected'),
        ratio: mean(on, 'detected') / mean(off, 'detected'), note: `${note}; ${pct(on[0].threatShare)} of flows classified as threats; ${runs}baseline: same run, explanations off`,
      });
      report({
        name: `pipeline: sustained flows/s end to end (${SUSTAINED_SECONDS} s, classified), ${mix}`, value: mean(on, 'classified'), unit: 'flows/s', baseline: mean(off, 'classified'),
        ratio: mean(on, 'classified') / mean(off, 'classified'), note: 'flows whose detection batch classification has acked; baseline: explanations off (bound: ratio >= 0.9)',
      });
    };
    pair('committed samples (attack-heavy)', [onSample], [offSample]);
    if (datasets) pair("datasets' own mix", onDataset, offDataset);
    else log('../shared/datasets absent: no run at the datasets\' own mix');
    const runs = [onSample, offSample, ...onDataset, ...offDataset];
    report({ name: 'pipeline: flows lost after drain (sustained runs)', value: runs.reduce((n, r) => n + r.lost, 0), unit: 'flows', note: `${runs.reduce((n, r) => n + r.produced, 0)} produced` });
    report({ name: 'pipeline: duplicate results (sustained runs)', value: runs.reduce((n, r) => n + r.duplicates, 0), unit: 'flows' });
    report({ name: 'pipeline: machine load average (1 min) at the end', value: loadavg()[0], unit: 'load', note: 'other work on this shared 2-core box competes with the run' });
  } finally {
    for (const s of services) await s.stop();
    const jsm = await jetstreamManager(nc);
    for (const s of Object.values(topology.streams)) await jsm.streams.delete(s.name).catch(() => false);
    await nc.close();
  }
}

function publishChunk(run: Run, phase: string): Promise<unknown> {
  const c = run.next++;
  const contract = CONTRACTS[c % 2];
  const templates = run.templates.get(contract) as ChunkTemplate[];
  const { bytes, key } = makeChunk(templates[Math.floor(c / 2) % templates.length], phase, c);
  run.tracker.sent(key);
  return run.js.publish(run.topology.subjects.ingest(contract), bytes, { msgID: key });
}

async function fixedLoad(run: Run): Promise<void> {
  const seconds = 20;
  const perSecond = 10_000;
  const intervalMs = (CHUNK / perSecond) * 1000;
  const chunks = (seconds * perSecond) / CHUNK;
  const first = run.next;
  run.tracker.watchThreats(true);
  const started = performance.now();
  for (let c = 0; c < chunks; c++) {
    const due = started + c * intervalMs;
    while (performance.now() < due) await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
    void publishChunk(run, 'fix');
  }
  const keys = run.tracker.keysFrom(first, run.next);
  await expectEventually(() => {
    const missing = keys.filter((k) => run.tracker.detectedAt(k) === undefined).length;
    if (missing > 0) throw new Error(`${missing} chunks without a detection result`);
  }, { timeoutMs: 60_000, intervalMs: 200 });
  await new Promise((r) => setTimeout(r, 1_000));
  run.tracker.watchThreats(false);
  const d = keys.map((k) => run.tracker.detectLatency(k) as number).sort((a, b) => a - b);
  const t = keys.flatMap((k) => run.tracker.threatLatency(k) ?? []).sort((a, b) => a - b);
  const note = `${perSecond} flows/s offered for ${seconds} s in ${CHUNK}-flow CSV chunks, both contracts; shipped models, explanations on`;
  report({ name: 'pipeline: publish → detection result latency p50 @10k flows/s', value: percentile(d, 50), unit: 'ms', note });
  report({ name: 'pipeline: publish → detection result latency p99 @10k flows/s', value: percentile(d, 99), unit: 'ms', note: 'target < 100 ms' });
  report({ name: 'pipeline: publish → threat batch latency p50 @10k flows/s', value: percentile(t, 50), unit: 'ms', note: `${run.tracker.threatsOf(keys)} threats` });
  report({ name: 'pipeline: publish → threat batch latency p99 @10k flows/s', value: percentile(t, 99), unit: 'ms' });
  log(`fixed load: ${d.length} chunks, p50 ${percentile(d, 50).toFixed(1)} ms, p99 ${percentile(d, 99).toFixed(1)} ms`);
}

/** Messages of the DETECTIONS stream that classification has acked (its ack floor). */
async function classifiedMessages(run: Run): Promise<number> {
  const info = await run.jsm.consumers.info(run.topology.streams.DETECTIONS.name, 'classification');
  return info.ack_floor.stream_seq;
}

interface Sustained { detected: number; classified: number; produced: number; lost: number; duplicates: number; threatShare: number }

const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;

async function sustained(run: Run, phase: string): Promise<Sustained> {
  const aheadCap = 40_000;
  const first = run.next;
  const detectedBefore = run.tracker.detectedFlows;
  const ackBefore = await classifiedMessages(run);
  let classified = 0;
  const poll = setInterval(() => {
    classifiedMessages(run).then((n) => (classified = (n - ackBefore) * CHUNK), () => undefined);
  }, 200);
  const inFlight = new Set<Promise<unknown>>();
  const started = performance.now();
  while (performance.now() - started < SUSTAINED_SECONDS * 1000) {
    const produced = (run.next - first) * CHUNK;
    if (produced - Math.min(classified, run.tracker.detectedFlows - detectedBefore) > aheadCap || inFlight.size >= 16) {
      await Promise.race([...inFlight, new Promise((r) => setTimeout(r, 2))]);
      continue;
    }
    const p = publishChunk(run, phase);
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
  }
  const elapsed = (performance.now() - started) / 1000;
  const detected = (run.tracker.detectedFlows - detectedBefore) / elapsed;
  const classifiedRate = classified / elapsed;
  clearInterval(poll);
  await Promise.all(inFlight);
  const keys = run.tracker.keysFrom(first, run.next);
  await expectEventually(() => {
    const missing = keys.filter((k) => run.tracker.detectedAt(k) === undefined).length;
    if (missing > 0) throw new Error(`${missing} chunks without a detection result`);
  }, { timeoutMs: 180_000, intervalMs: 500 });
  // Classification drained too, so the next run starts with nothing of this one left to do.
  await expectEventually(async () => {
    const last = (await run.jsm.streams.info(run.topology.streams.DETECTIONS.name)).state.last_seq;
    if ((await classifiedMessages(run)) < last) throw new Error('classification still has detection batches to do');
  }, { timeoutMs: 180_000, intervalMs: 500 });
  const lost = keys.reduce((n, k) => n + CHUNK - (run.tracker.flowsOf(k) ?? 0), 0);
  const duplicates = run.tracker.duplicatesOf(keys);
  const produced = keys.length * CHUNK;
  const threatShare = run.tracker.flaggedOf(keys) / produced;
  log(`sustained ${phase}: ${produced} produced, detected ${Math.round(detected)} flows/s, classified ${Math.round(classifiedRate)} flows/s over ${elapsed.toFixed(1)} s, lost ${lost}, duplicates ${duplicates}, threats ${pct(threatShare)}`);
  return { detected, classified: classifiedRate, produced, lost, duplicates, threatShare };
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
