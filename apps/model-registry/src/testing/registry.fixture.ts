import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { modelActivatedEventSchema, registryTopology, type ModelActivatedEvent, type RegistryTopology } from '@vigil/contracts';
import { createDataSource, migrationsFor, runMigrations } from '@vigil/database';
import { RegistryClient } from '@vigil/registry-client';
import { NatsClient } from '@vigil/messaging';
import { createLogger, Metrics, ObservabilityModule } from '@vigil/observability';
import { freshSchemaName, uniqueName } from '@vigil/testing';
import { type Subscription } from '@nats-io/nats-core';
import { DataSource } from 'typeorm';
import { loadModelRegistryConfig, type ModelRegistryConfig } from '../config/model-registry.config';
import { ModelRegistryModule } from '../model-registry.module';

export interface RegistryHarness {
  readonly config: ModelRegistryConfig;
  readonly topology: RegistryTopology;
  readonly modelsDir: string;
  readonly nats: NatsClient;
  readonly client: RegistryClient;
  /** Every activation event seen on the registry's subjects (core subscription), in arrival order. */
  readonly events: { subject: string; msgId: string | undefined; event: ModelActivatedEvent }[];
  app: INestApplication;
  restart(): Promise<void>;
  close(): Promise<void>;
}

async function boot(config: ModelRegistryConfig): Promise<INestApplication> {
  const logger = createLogger({ service: 'model-registry', instance: 'test', level: 'silent' });
  const moduleRef = await Test.createTestingModule({
    imports: [
      ObservabilityModule.forRoot({ service: 'model-registry', instance: 'test', logger, metrics: new Metrics({ service: 'model-registry', instance: 'test' }) }),
      ModelRegistryModule.register(config),
    ],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.init();
  return app;
}

/** A registry in this process against the real NATS and Postgres: its own schema, subjects, stream and models folder. */
export async function startRegistry(env: Record<string, string> = {}): Promise<RegistryHarness> {
  const prefix = uniqueName('reg');
  const modelsDir = env.MODELS_DIR ?? mkdtempSync(path.join(tmpdir(), 'vigil-registry-models-'));
  const config = loadModelRegistryConfig({ DATABASE_SCHEMA_PREFIX: `${freshSchemaName('r')}_`, PIPELINE_PREFIX: prefix, MODELS_DIR: modelsDir, LOG_LEVEL: 'silent', ...env });
  await runMigrations({ dataSource: createDataSource({ url: config.databaseUrl, schema: config.databaseSchema, migrations: migrationsFor('model-registry') }) });
  const topology = registryTopology(prefix);
  const nats = await NatsClient.connect({ servers: config.natsServers, name: 'model-registry-test' });
  const events: RegistryHarness['events'] = [];
  const sub: Subscription = nats.connection.subscribe(topology.activatedAll, {
    callback: (_err, msg) => {
      events.push({ subject: msg.subject, msgId: msg.headers?.get('Nats-Msg-Id'), event: modelActivatedEventSchema.parse(msg.json()) });
    },
  });
  const harness: RegistryHarness = {
    config, topology, modelsDir, nats, events,
    client: new RegistryClient({ connection: nats.connection, prefix }),
    app: await boot(config),
    restart: async () => {
      await harness.app.close();
      harness.app = await boot(config);
    },
    close: async () => {
      await harness.app.close();
      sub.unsubscribe();
      const jsm = await nats.manager();
      await jsm.streams.delete(topology.stream.name).catch(() => false);
      await nats.drain();
      const admin = new DataSource({ type: 'postgres', url: config.databaseUrl });
      await admin.initialize();
      await admin.query(`DROP SCHEMA IF EXISTS "${config.databaseSchema}" CASCADE`);
      await admin.destroy();
      if (env.MODELS_DIR === undefined) rmSync(modelsDir, { recursive: true, force: true });
    },
  };
  return harness;
}
