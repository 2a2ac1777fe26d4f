import { type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import {
  CONTRACT_SAMPLES, contractSamplePath, decisionEventSchema, encodeThreatBatchMessage, readFlowFile, type DecisionEvent, type Threat,
} from '@vigil/contracts';
import { createDataSource, migrationsFor, runMigrations } from '@vigil/database';
import { NatsClient, publishBatch, request } from '@vigil/messaging';
import { createLogger, Metrics, ObservabilityModule } from '@vigil/observability';
import { freshSchemaName, uniqueName } from '@vigil/testing';
import { type Subscription } from '@nats-io/nats-core';
import { DataSource } from 'typeorm';
import { loadSelfHealingConfig, type SelfHealingConfig } from '../config/self-healing.config';
import { DECISION_EXECUTORS, type Clock } from '../config/self-healing.tokens';
import { type DecisionEntity } from '../decisions/decision.entity';
import { type DecisionExecutor } from '../executors/decision.executor';
import { selfHealingTopology, type RequestName, type SelfHealingTopology } from '../messaging/self-healing.topology';
import { SelfHealingModule } from '../self-healing.module';

/** A clock the test moves by hand. */
export class ManualClock implements Clock {
  constructor(private current = new Date()) {}
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

/** Records what executors are asked to do (the kernel is tested separately, in namespaces). */
export class RecordingExecutor implements DecisionExecutor {
  readonly name = 'recording';
  readonly held = new Map<string, string>();
  reconciles = 0;
  withdrawn: string[] = [];
  failNext: string | undefined;

  async reconcile(enforced: readonly DecisionEntity[]): Promise<void> {
    this.reconciles += 1;
    this.held.clear();
    for (const d of enforced) this.held.set(d.value, d.action);
  }
  async apply(decision: DecisionEntity): Promise<void> {
    if (this.failNext) {
      const reason = this.failNext;
      this.failNext = undefined;
      throw new Error(reason);
    }
    this.held.set(decision.value, decision.action);
  }
  async withdraw(decision: DecisionEntity): Promise<void> {
    this.withdrawn.push(decision.value);
    this.held.delete(decision.value);
  }
}

/** Real rows of the improved CIC-IDS2017 sample with a source IP, by label. */
export async function realAttackRows(label: string): Promise<{ flowId: string; srcIp: string }[]> {
  const rows: { flowId: string; srcIp: string }[] = [];
  for await (const batch of readFlowFile(contractSamplePath(CONTRACT_SAMPLES.improved), { contract: 'cicflowmeter' })) {
    batch.envelopes.forEach((env, i) => {
      if (batch.labels[i]?.label === label && env.srcIp) rows.push({ flowId: env.flowId ?? `row-${batch.rowNumbers[i]}`, srcIp: env.srcIp });
    });
  }
  return rows;
}

export interface Harness {
  readonly config: SelfHealingConfig;
  readonly topology: SelfHealingTopology;
  readonly clock: ManualClock;
  readonly executor: RecordingExecutor;
  readonly nats: NatsClient;
  readonly events: DecisionEvent[];
  app: INestApplication;
  ask<T>(name: RequestName, payload?: unknown): Promise<T>;
  publishThreats(threats: readonly (Pick<Threat, 'flowId' | 'attackClass' | 'probability'> & { srcIp: string })[]): Promise<void>;
  restart(): Promise<void>;
  /** Boots another instance on the same schema, durable and subjects (closed by `close`). */
  replica(): Promise<INestApplication>;
  close(): Promise<void>;
}

async function boot(config: SelfHealingConfig, clock: ManualClock, executors: readonly DecisionExecutor[]): Promise<INestApplication> {
  const logger = createLogger({ service: 'self-healing', instance: 'test', level: 'silent' });
  const moduleRef = await Test.createTestingModule({
    imports: [
      ObservabilityModule.forRoot({ service: 'self-healing', instance: 'test', logger, metrics: new Metrics({ service: 'self-healing', instance: 'test' }) }),
      SelfHealingModule.register(config, { clock }),
    ],
  }).overrideProvider(DECISION_EXECUTORS).useValue(executors).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.init();
  return app;
}

/** `executors` run after the recording one (e.g. a real webhook executor against a test server). */
export async function startHarness(env: Record<string, string> = {}, extra: { executors?: readonly DecisionExecutor[] } = {}): Promise<Harness> {
  const prefix = uniqueName('sh');
  const config = loadSelfHealingConfig({ DATABASE_SCHEMA_PREFIX: `${freshSchemaName('t')}_`, PIPELINE_PREFIX: prefix, SELF_HEALING_SWEEP_INTERVAL_MS: '600000', ...env });
  await runMigrations({ dataSource: createDataSource({ url: config.databaseUrl, schema: config.databaseSchema, migrations: migrationsFor('self-healing') }) });
  const topology = selfHealingTopology(prefix);
  const clock = new ManualClock();
  const executor = new RecordingExecutor();
  const executors = [executor, ...(extra.executors ?? [])];
  const nats = await NatsClient.connect({ servers: config.natsServers, name: 'self-healing-test' });
  const events: DecisionEvent[] = [];
  const sub: Subscription = nats.connection.subscribe(`${prefix}.decisions.>`, {
    callback: (_err, msg) => {
      events.push(decisionEventSchema.parse(msg.json()));
    },
  });
  let seq = 0;
  const replicas: INestApplication[] = [];
  const harness: Harness = {
    config, topology, clock, executor, nats, events,
    app: await boot(config, clock, executors),
    ask: (name, payload = {}) => request(nats.connection, { subject: topology.request(name), payload, timeoutMs: 5_000 }),
    publishThreats: async (threats) => {
      const at = clock.now().toISOString();
      const payload = encodeThreatBatchMessage({
        batchId: `b${++seq}`, contract: { id: 'cicflowmeter', version: 1 }, sensor: 'test', ingestedAt: at, detectedAt: at, classifiedAt: at,
        correlationId: `c${seq}`, detector: { name: 'detector', version: 1 }, classifier: { name: 'classifier', version: 2 },
        threats: threats.map((t) => ({ flowId: t.flowId, envelope: { srcIp: t.srcIp }, attackClass: t.attackClass, probability: t.probability, top: [{ class: t.attackClass, probability: t.probability }], detectorProbability: 0.99 })),
      });
      await publishBatch(nats.jetstream, { subject: topology.threats('cicflowmeter'), payload, msgId: `${prefix}-b${seq}` });
    },
    restart: async () => {
      await harness.app.close();
      harness.app = await boot(config, clock, executors);
    },
    replica: async () => {
      const app = await boot(config, clock, [new RecordingExecutor()]);
      replicas.push(app);
      return app;
    },
    close: async () => {
      for (const app of replicas) await app.close();
      await harness.app.close();
      sub.unsubscribe();
      const jsm = await nats.manager();
      for (const s of [topology.threatsStream, topology.decisionsStream, topology.dlqStream]) await jsm.streams.delete(s.name).catch(() => false);
      await nats.drain();
      const admin = new DataSource({ type: 'postgres', url: config.databaseUrl });
      await admin.initialize();
      await admin.query(`DROP SCHEMA IF EXISTS "${config.databaseSchema}" CASCADE`);
      await admin.destroy();
    },
  };
  return harness;
}
