// Service processes for benchmarks, run from this compiled tree (dist-bench/), never from
// dist/: a bench must not rebuild or wipe the build that tests are running from. Each gets a
// fresh migrated schema (dropped after) and a free port; extra node flags (e.g. --cpu-prof)
// come from BENCH_NODE_FLAGS.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { DEFAULT_DATABASE_URL, SERVICE_PORTS, type ServiceName, serviceSchemaName } from '@vigil/config';
import { createDataSource, migrationsFor, runMigrations } from '@vigil/database';
import { expectEventually, freePort } from '@vigil/testing';

export interface BenchService {
  readonly app: ServiceName;
  readonly url: string;
  stop(): Promise<void>;
}

// dist-bench/bench/<this>.js -> dist-bench
const TREE = path.resolve(__dirname, '..');

async function dropSchema(url: string, schema: string): Promise<void> {
  const ds = createDataSource({ url, schema, poolSize: 1 });
  await ds.initialize();
  try {
    await ds.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await ds.destroy();
  }
}

export async function startBenchService(args: { app: ServiceName; env: Record<string, string> }): Promise<BenchService> {
  const url = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
  const prefix = `b${randomBytes(4).toString('hex')}_`;
  const schema = serviceSchemaName(args.app, prefix);
  const ds = createDataSource({ url, schema, migrations: migrationsFor(args.app), poolSize: 2 });
  await ds.initialize();
  try {
    await runMigrations({ dataSource: ds });
  } finally {
    await ds.destroy();
  }
  const port = await freePort();
  const flags = (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter((f) => f !== '');
  const child: ChildProcess = spawn(process.execPath, [...flags, path.join(TREE, 'apps', args.app, 'src', 'main.js')], {
    env: { ...process.env, LOG_LEVEL: 'warn', DATABASE_SCHEMA_PREFIX: prefix, ...args.env, [SERVICE_PORTS[args.app].envKey]: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const service = {
    app: args.app, url: `http://127.0.0.1:${port}`,
    stop: async () => {
      // SIGTERM lets a --cpu-prof process write its profile.
      if (child.exitCode === null) child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
      await dropSchema(url, schema);
    },
  };
  try {
    await expectEventually(async () => {
      if ((await fetch(`${service.url}/readyz`)).status !== 200) throw new Error(`${args.app} not ready`);
    }, { timeoutMs: 60_000, intervalMs: 200 });
  } catch (err) {
    await service.stop();
    throw err;
  }
  return service;
}
