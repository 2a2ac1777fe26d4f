// Shared by the pipeline e2e specs: real service processes on a private pipeline prefix, real
// models trained from the committed samples, real sample rows cycled into CSV chunks (every
// copy of a row gets its own `Flow ID`, so it is a distinct flow), and a reader of the result streams.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { jetstream, jetstreamManager, type JetStreamClient } from '@nats-io/jetstream';
import { type NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import {
  CONTRACT_SAMPLES, type ContractId, createBatchParser, detectFormat, contractSamplePath, decodeDetectionBatchMessage, decodeThreatBatchMessage, getContract, pipelineTopology,
  type DetectionBatchMessage, type PipelineTopology, type ThreatBatch,
} from '@vigil/contracts';
import { type SampleModel, trainSampleModels } from '@vigil/inference';
import { predict } from '@vigil/ml';
import { expectEventually, startMigratedService, type MigratedService, uniqueName } from '@vigil/testing';

export const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

/** Sample rows of a contract as CSV: a header with a `Flow ID` column appended, and the raw lines. */
export interface SampleCsv {
  contract: ContractId;
  header: string;
  lines: string[];
}

export function sampleCsv(contract: ContractId): SampleCsv {
  if (contract === 'nsl-kdd') {
    const lines = gunzip(CONTRACT_SAMPLES.nslKdd);
    const names = getContract('nsl-kdd').features.map((f) => f.name);
    return { contract, header: [...names, 'label', 'difficulty', 'Flow ID'].join(','), lines };
  }
  const [header, ...lines] = gunzip(CONTRACT_SAMPLES.mlcve);
  return { contract, header: `${header},Flow ID`, lines };
}

function gunzip(file: string): string[] {
  return gunzipSync(readFileSync(contractSamplePath(file))).toString('utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
}

/** Flow k of a contract is sample row k % rows, with source Flow ID `e2e-<contract>-<k>`. */
export function flowLine(csv: SampleCsv, k: number): string {
  return `${csv.lines[k % csv.lines.length]},e2e-${csv.contract}-${k}`;
}

export function rowOfSourceId(csv: SampleCsv, sourceId: string): number {
  return Number(sourceId.slice(`e2e-${csv.contract}-`.length)) % csv.lines.length;
}

export interface Pipeline {
  topology: PipelineTopology;
  nc: NatsConnection;
  js: JetStreamClient;
  modelsDir: string;
  models: SampleModel[];
  services: MigratedService[];
  start(app: 'ingestion' | 'detection' | 'classification' | 'model-registry', env?: Record<string, string>): Promise<MigratedService>;
  /** Publishes flows [from, to) of a contract as CSV chunks of `chunk` lines on `ingest.<contract>`. */
  produce(csv: SampleCsv, args: { from: number; to: number; chunk?: number }): Promise<void>;
  close(): Promise<void>;
}

export async function openPipeline(): Promise<Pipeline> {
  const topology = pipelineTopology(uniqueName('e2e').replace(/[^A-Za-z0-9_-]/g, '').slice(0, 24));
  const modelsDir = mkdtempSync(path.join(tmpdir(), 'vigil-e2e-models-'));
  const models = await trainSampleModels(modelsDir);
  const nc = await connect({ servers: NATS_URL });
  const js = jetstream(nc);
  const services: MigratedService[] = [];
  const pipeline: Pipeline = {
    topology, nc, js, modelsDir, models, services,
    start: async (app, env = {}) => {
      const s = await startMigratedService({ app, env: { PIPELINE_PREFIX: topology.prefix, MODELS_DIR: modelsDir, LOG_LEVEL: 'warn', MODEL_SOURCE: 'files', ...env } });
      services.push(s);
      await expectEventually(async () => expect((await fetch(`${s.service.url}/readyz`)).status).toBe(200), { timeoutMs: 20_000 });
      return s;
    },
    produce: async (csv, { from, to, chunk = 500 }) => {
      const pending: Promise<unknown>[] = [];
      for (let at = from; at < to; at += chunk) {
        const lines = [csv.header];
        for (let k = at; k < Math.min(to, at + chunk); k++) lines.push(flowLine(csv, k));
        pending.push(js.publish(topology.subjects.ingest(csv.contract), lines.join('\n'), { msgID: `${topology.prefix}:${csv.contract}:${at}` }));
        if (pending.length >= 32) await Promise.all(pending.splice(0));
      }
      await Promise.all(pending);
    },
    close: async () => {
      await Promise.all(services.map((s) => s.cleanup()));
      const jsm = await jetstreamManager(nc);
      for (const s of Object.values(topology.streams)) await jsm.streams.delete(s.name).catch(() => false);
      await nc.drain();
      rmSync(modelsDir, { recursive: true, force: true });
    },
  };
  return pipeline;
}

/** Messages a stream holds now: a cheap poll (no message read) before a full read. */
export async function streamMessages(p: Pipeline, stream: string): Promise<number> {
  const jsm = await jetstreamManager(p.nc);
  const info = await jsm.streams.info(stream).catch(() => null);
  return info?.state.messages ?? 0;
}

/**
 * Every message of a stream so far, decoded, in stream order. A result stream is tens of MB (a
 * threat batch with explanations is ~400 kB), more than one pull delivers before it expires on a
 * loaded box, so this pulls in slices until the last sequence and fails loudly rather than
 * returning a silent prefix. Messages are decoded after the pulls, so JSON parsing never holds
 * up the pull's heartbeats.
 */
export async function readStream<T>(p: Pipeline, stream: string, decode: (data: Uint8Array) => T): Promise<T[]> {
  const jsm = await jetstreamManager(p.nc);
  const info = await jsm.streams.info(stream).catch(() => null);
  const last = info?.state.last_seq ?? 0;
  if (last === 0) return [];
  const consumer = await p.js.consumers.get(stream, { opt_start_seq: 1 });
  const raw: Uint8Array[] = [];
  const deadline = Date.now() + 120_000;
  let seq = 0;
  while (seq < last) {
    if (Date.now() > deadline) throw new Error(`read only up to sequence ${seq} of ${last} in ${stream}`);
    const messages = await consumer.fetch({ max_messages: Math.min(64, last - seq), expires: 10_000 });
    for await (const m of messages) {
      raw.push(m.data);
      seq = m.seq;
      if (seq >= last) break;
    }
  }
  return raw.map(decode);
}

export const readDetections = (p: Pipeline): Promise<DetectionBatchMessage[]> =>
  readStream(p, p.topology.streams.DETECTIONS.name, (d) => decodeDetectionBatchMessage(new Uint8Array(d)));
export const readThreats = (p: Pipeline): Promise<ThreatBatch[]> => readStream(p, p.topology.streams.THREATS.name, decodeThreatBatchMessage);

/** What the offline models say for every sample row of a contract: flagged, and the attack class. */
export function offlineAnswers(p: Pipeline, csv: SampleCsv): { flagged: boolean[]; cls: string[] } {
  const contract = csv.contract;
  const batch = createBatchParser(detectFormat(csv.header, { contract })).parseLines(csv.lines.map((l) => `${l},x`), 2);
  if (batch.count !== csv.lines.length) throw new Error(`sample rows of ${contract} did not all parse`);
  const rows = batch.features;
  const count = batch.count;
  const detector = p.models.find((m) => m.manifest.task === 'detect' && m.manifest.contract.id === contract) as SampleModel;
  const classifier = p.models.find((m) => m.manifest.task === 'classify' && m.manifest.contract.id === contract) as SampleModel;
  const all = getContract(contract).features.map((f) => f.name);
  const cols = classifier.manifest.features.map((f) => all.indexOf(f));
  const X = new Float32Array(count * cols.length);
  for (let r = 0; r < count; r++) cols.forEach((c, j) => (X[r * cols.length + j] = rows[r * all.length + c]));
  const detected = predict(detector.ensemble, rows, count).probabilities;
  const classified = predict(classifier.ensemble, X, count).labels;
  return {
    flagged: Array.from({ length: count }, (_, r) => detected[r * 2 + 1] >= (detector.manifest.threshold ?? 0.5)),
    cls: Array.from(classified, (c) => classifier.manifest.classLabels[c]),
  };
}
