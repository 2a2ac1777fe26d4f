// How fast the gateway's read model stores what the pipeline produces, on the machine's real
// Postgres: real detection results (the shipped detectors over 500-row chunks of the committed
// samples of both contracts) and the threat batches the classification service makes of them
// (shipped classifiers, Saabas explanations on), applied by ReadModelRepository exactly as the
// gateway's two consumers do (detections and threats concurrently, one transaction per batch:
// claim, counters, job predictions, flagged flows' features, alerts), with up to 32 messages in
// flight per stream sharing group commits; the baseline, same run, commits one transaction per
// result batch. Two mixes: results of NATS producers, and results of an upload job (per-flow
// job predictions too).
import { randomUUID } from 'node:crypto';
import { DEFAULT_DATABASE_URL, serviceSchemaName } from '@vigil/config';
import { type ContractId, type DetectionBatchMessage, decodeThreatBatchMessage } from '@vigil/contracts';
import { createDataSource, migrationsFor, runMigrations } from '@vigil/database';
import { ThreatExplainer, defaultModelsDir, loadShippedModel, shippedModelName } from '@vigil/inference';
import { ReadModelRepository } from '../apps/gateway/src/read-model/read-model.repository';
import { type DetectionRows, type ThreatRows, detectionRows, threatRows } from '../apps/gateway/src/read-model/read-model.service';
import { GroupCommitter } from '../apps/gateway/src/read-model/group-commit.service';
import { type ServedClassifier, detectionBatches, shippedScorer } from './bench.batches';
import { log, median, report } from './bench.report';

const CHUNK = 500;
const CHUNKS_PER_CONTRACT = 40;
const ROUNDS = 3;
const CONTRACTS: ContractId[] = ['nsl-kdd', 'cicflowmeter'];

interface Round { detections: DetectionRows[]; threats: ThreatRows[]; flows: number; alerts: number }

async function main(): Promise<void> {
  const modelsDir = defaultModelsDir();
  const served = new Map<ContractId, ServedClassifier>();
  for (const contract of CONTRACTS) {
    const runner = await loadShippedModel({ modelsDir, name: shippedModelName('classify', contract) });
    served.set(contract, { runner, explainer: await ThreatExplainer.create(runner) });
  }
  const schema = serviceSchemaName('gateway', `brm${process.pid}_`);
  const db = createDataSource({ url: process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL, schema, migrations: migrationsFor('gateway'), poolSize: 4 });
  await db.initialize();
  try {
    await runMigrations({ dataSource: db });
    const repository = new ReadModelRepository(db);
    for (const mix of ['producers', 'upload job'] as const) {
      const grouped: number[] = [];
      const single: number[] = [];
      let last: Round | undefined;
      for (let r = 0; r < ROUNDS; r++) {
        for (const mode of ['grouped', 'single'] as const) {
          const round = await makeRound({ served, modelsDir, tag: `${mix === 'producers' ? 'p' : 'j'}${r}${mode}`, correlationId: mix === 'producers' ? undefined : `job:${randomUUID()}` });
          const started = process.hrtime.bigint();
          await (mode === 'grouped' ? applyGrouped(repository, round) : applySingly(repository, round));
          (mode === 'grouped' ? grouped : single).push(round.flows / (Number(process.hrtime.bigint() - started) / 1e9));
          last = round;
        }
      }
      const rate = median(grouped);
      const baseline = median(single);
      const share = (last as Round).alerts / (last as Round).flows;
      log(`read model (${mix}): ${Math.round(rate)} flows/s stored (one transaction per batch: ${Math.round(baseline)}), ${(share * 100).toFixed(0)} % of them alerts`);
      report({
        name: `read model: flows/s stored (${mix})`, value: rate, unit: 'flows/s', baseline, ratio: rate / baseline,
        note: `ReadModelRepository on the real Postgres as the gateway's consumers apply results: 32 messages in flight per stream, group commits; baseline: one transaction per result batch, same run. ${(last as Round).flows} real flows a round, ${(share * 100).toFixed(0)} % alerts with features and explanations; median of ${ROUNDS}; compare with the pipeline's sustained flows/s`,
      });
    }
  } finally {
    await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await db.destroy();
    for (const s of served.values()) await s.runner.release();
  }
}

const IN_FLIGHT = 32;

async function applyGrouped(repository: ReadModelRepository, round: Round): Promise<void> {
  const detections = new GroupCommitter({ maxItems: IN_FLIGHT, commit: (b: readonly DetectionRows[]) => repository.applyDetections(b) });
  const threats = new GroupCommitter({ maxItems: IN_FLIGHT, commit: (b: readonly ThreatRows[]) => repository.applyThreatBatches(b) });
  await Promise.all([windowed(round.detections, (d) => detections.submit(d)), windowed(round.threats, (t) => threats.submit(t))]);
}

async function applySingly(repository: ReadModelRepository, round: Round): Promise<void> {
  await Promise.all([
    (async () => { for (const d of round.detections) await repository.applyDetection(d); })(),
    (async () => { for (const t of round.threats) await repository.applyThreats(t); })(),
  ]);
}

/** At most IN_FLIGHT items submitted and not yet committed, as the consumer's concurrency allows. */
async function windowed<T>(items: readonly T[], submit: (item: T) => Promise<unknown>): Promise<void> {
  const inFlight = new Set<Promise<unknown>>();
  for (const item of items) {
    while (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight);
    const p: Promise<unknown> = submit(item).finally(() => inFlight.delete(p));
    inFlight.add(p);
  }
  await Promise.all(inFlight);
}

async function makeRound(args: { served: Map<ContractId, ServedClassifier>; modelsDir: string; tag: string; correlationId?: string }): Promise<Round> {
  const messages: DetectionBatchMessage[] = [];
  for (const contract of CONTRACTS) {
    messages.push(...(await detectionBatches({ contract, modelsDir: args.modelsDir, chunk: CHUNK, chunks: CHUNKS_PER_CONTRACT, tag: `${args.tag}-${randomUUID()}`, correlationId: args.correlationId })));
  }
  const scorer = shippedScorer(args.served, true);
  const threats: ThreatRows[] = [];
  for (const m of messages) {
    const { results } = await scorer.score([m]);
    for (const r of results) threats.push(threatRows(decodeThreatBatchMessage(r.payload)));
  }
  return {
    detections: messages.map(detectionRows), threats,
    flows: messages.reduce((n, m) => n + m.header.count, 0), alerts: threats.reduce((n, t) => n + t.alerts.length, 0),
  };
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
