// Shared by the gateway e2e specs: the pipeline fixture's real processes plus a gateway on the
// same private prefix, API keys of every role written into its schema, and helpers to upload,
// follow a job and compute what the offline models say about a file.
import { createHash } from 'node:crypto';
import { serviceSchemaName, DEFAULT_DATABASE_URL } from '@vigil/config';
import { type ApiKeyRole, type ContractId, type FlowBatch, generateApiKey, getContract, readFlowFile } from '@vigil/contracts';
import { createDataSource } from '@vigil/database';
import { type SampleModel } from '@vigil/inference';
import { predict } from '@vigil/ml';
import { expectEventually, type MigratedService, startMigratedService } from '@vigil/testing';
import { type Pipeline } from './pipeline.fixture';

export interface Gateway {
  service: MigratedService;
  url: string;
  keys: Record<ApiKeyRole, string>;
}

export async function startGateway(p: Pipeline, env: Record<string, string> = {}): Promise<Gateway> {
  const service = await startMigratedService({
    app: 'gateway',
    env: { PIPELINE_PREFIX: p.topology.prefix, LOG_LEVEL: 'warn', GATEWAY_RATE_LIMIT_PER_SECOND: '1000', GATEWAY_RATE_LIMIT_BURST: '5000', ...env },
  });
  p.services.push(service);
  await expectEventually(async () => expect((await fetch(`${service.service.url}/readyz`)).status).toBe(200), { timeoutMs: 20_000 });
  const keys = await createKeys(service.schemaPrefix);
  return { service, url: service.service.url, keys };
}

export async function createKeys(schemaPrefix: string): Promise<Record<ApiKeyRole, string>> {
  const db = createDataSource({ url: process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL, schema: serviceSchemaName('gateway', schemaPrefix), poolSize: 1 });
  await db.initialize();
  try {
    const out = {} as Record<ApiKeyRole, string>;
    for (const role of ['viewer', 'operator', 'admin', 'bouncer'] as const) {
      const key = generateApiKey();
      await db.query('INSERT INTO api_keys (id, name, role, secret_hash) VALUES ($1, $2, $3, $4)', [key.id, `e2e-${role}`, role, key.secretHash]);
      out[role] = key.key;
    }
    return out;
  } finally {
    await db.destroy();
  }
}

export interface JobAnswer {
  id: string;
  state: string;
  duplicate: boolean;
  contract: string | null;
  rows: { read: number; accepted: number; duplicates: number; rejected: number };
  predictions: { flows: number; threats: number };
  errors: { row: number; field: string | null; code: string; reason: string }[];
  error: { code: string; message: string } | null;
}

export async function upload(g: Gateway, body: Buffer | string, args: { contentType?: string; fileName?: string; multipart?: boolean } = {}): Promise<Response> {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  if (!args.multipart) {
    return fetch(`${g.url}/api/v1/upload/csv?filename=${encodeURIComponent(args.fileName ?? 'upload.csv')}`, {
      method: 'POST', headers: { 'x-api-key': g.keys.operator, 'content-type': args.contentType ?? 'text/csv' }, body: bytes,
    });
  }
  const form = new FormData();
  form.append('note', 'a field before the file');
  form.append('file', new Blob([bytes], { type: args.contentType ?? 'text/csv' }), args.fileName ?? 'upload.csv');
  return fetch(`${g.url}/api/v1/upload/csv`, { method: 'POST', headers: { 'x-api-key': g.keys.operator }, body: form });
}

export async function finishedJob(g: Gateway, id: string, timeoutMs = 60_000): Promise<JobAnswer> {
  return expectEventually(async () => {
    const job = (await (await fetch(`${g.url}/api/v1/jobs/${id}`, { headers: { 'x-api-key': g.keys.viewer } })).json()) as JobAnswer;
    expect(['completed', 'failed']).toContain(job.state);
    return job;
  }, { timeoutMs, intervalMs: 200 });
}

export interface OfflineFlow {
  flowId: string;
  isThreat: boolean;
  attackClass: string | null;
  /** The row's contract-order feature values as ingestion parses them. */
  features: Float32Array;
}

/** Every row of a file as the offline models see it (the ingestion flow id, detector flag, classifier class). */
export async function offlineFile(p: Pipeline, path: string): Promise<{ contract: ContractId; flows: OfflineFlow[]; rejected: number }> {
  const flows: OfflineFlow[] = [];
  let rejected = 0;
  let contract: ContractId = 'nsl-kdd';
  for await (const batch of readFlowFile(path)) {
    contract = batch.contract.id;
    rejected += batch.errors.length;
    flows.push(...scoreBatch(p, batch));
  }
  return { contract, flows, rejected };
}

function scoreBatch(p: Pipeline, batch: FlowBatch): OfflineFlow[] {
  const contract = batch.contract.id;
  const detector = p.models.find((m) => m.manifest.task === 'detect' && m.manifest.contract.id === contract) as SampleModel;
  const classifier = p.models.find((m) => m.manifest.task === 'classify' && m.manifest.contract.id === contract) as SampleModel;
  const all = getContract(contract).features.map((f) => f.name);
  const gather = (m: SampleModel): Float32Array => {
    const cols = m.manifest.features.map((f) => all.indexOf(f));
    const X = new Float32Array(batch.count * cols.length);
    for (let r = 0; r < batch.count; r++) cols.forEach((c, j) => (X[r * cols.length + j] = batch.features[r * all.length + c]));
    return X;
  };
  const detected = predict(detector.ensemble, gather(detector), batch.count).probabilities;
  const classified = predict(classifier.ensemble, gather(classifier), batch.count).labels;
  return Array.from({ length: batch.count }, (_, r) => {
    const isThreat = detected[r * 2 + 1] >= (detector.manifest.threshold ?? 0.5);
    const features = batch.features.subarray(r * all.length, (r + 1) * all.length);
    return { flowId: flowIdOf(contract, batch.envelopes[r], features), isThreat, attackClass: isThreat ? classifier.manifest.classLabels[classified[r]] : null, features: features.slice() };
  });
}

/** The ingestion service's flow id (apps/ingestion flow-identity.service.ts), recomputed to join offline rows with results. */
function flowIdOf(contract: string, envelope: FlowBatch['envelopes'][number], features: Float32Array): string {
  const hash = createHash('sha256').update(contract).update('\u0000');
  if (envelope.flowId !== undefined) {
    hash.update('source\u0000').update(envelope.flowId).update('\u0000').update(envelope.timestamp ?? '');
  } else {
    hash.update('content\u0000').update(new Uint8Array(features.buffer, features.byteOffset, features.byteLength));
    hash.update(JSON.stringify(envelope));
  }
  return hash.digest('hex').slice(0, 32);
}

/** results.csv parsed into flow id -> [label, class]. */
export function parseResults(csv: string): Map<string, { label: string; attackClass: string }> {
  const [, ...lines] = csv.trim().split('\n');
  return new Map(lines.map((l) => {
    const [flowId, label, , attackClass] = l.split(',');
    return [flowId, { label, attackClass }];
  }));
}
