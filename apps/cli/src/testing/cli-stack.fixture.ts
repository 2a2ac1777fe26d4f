import { Writable } from 'node:stream';
import { DEFAULT_DATABASE_URL, serviceSchemaName, type ServiceName } from '@vigil/config';
import { type ApiKeyRole, generateApiKey } from '@vigil/contracts';
import { createDataSource } from '@vigil/database';
import { expectEventually, isolatedPipelinePrefix, startMigratedService, type MigratedService } from '@vigil/testing';
import { type CliCommand, type CliIo } from '../command/cli-command';
import { runCli } from '../command/cli-runner';

/** A real gateway beside real back-end processes (one private pipeline prefix) and a key per role, for CLI tests. */
export interface CliStack {
  readonly url: string;
  readonly prefix: string;
  readonly keys: Record<ApiKeyRole, string>;
  /** Runs `vigil <argv>` in-process against the gateway with `role`'s key. */
  vigil(args: { argv: string[]; commands: readonly CliCommand[]; role?: ApiKeyRole; env?: Record<string, string>; cwd?: string }): Promise<{ code: number; out: string; err: string }>;
  stop(): Promise<void>;
}

function capture(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({ write: (chunk: Buffer, _enc, done) => { text += chunk.toString(); done(); } });
  return { stream, text: () => text };
}

/** Inference stages read the shipped models from MODELS_DIR when no registry runs beside them. */
const SERVICE_ENV: Partial<Record<ServiceName, Record<string, string>>> = { detection: { MODEL_SOURCE: 'files' }, classification: { MODEL_SOURCE: 'files' } };

export async function startCliStack(services: ServiceName[]): Promise<CliStack> {
  const prefix = isolatedPipelinePrefix();
  const started: MigratedService[] = [];
  try {
    for (const app of [...services, 'gateway' as const]) {
      const s = await startMigratedService({ app, env: { LOG_LEVEL: 'warn', PIPELINE_PREFIX: prefix, GATEWAY_RATE_LIMIT_PER_SECOND: '1000', GATEWAY_RATE_LIMIT_BURST: '10000', ...SERVICE_ENV[app] } });
      started.push(s);
      await expectEventually(async () => expect((await fetch(`${s.service.url}/readyz`)).status).toBe(200), { timeoutMs: 30_000 });
    }
    const gateway = started[started.length - 1]!;
    const db = createDataSource({ url: process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL, schema: serviceSchemaName('gateway', gateway.schemaPrefix), poolSize: 1 });
    await db.initialize();
    const keys = {} as Record<ApiKeyRole, string>;
    try {
      for (const role of ['viewer', 'operator', 'admin', 'bouncer'] as const) {
        const key = generateApiKey();
        await db.query('INSERT INTO api_keys (id, name, role, secret_hash) VALUES ($1, $2, $3, $4)', [key.id, role, role, key.secretHash]);
        keys[role] = key.key;
      }
    } finally {
      await db.destroy();
    }
    const url = gateway.service.url;
    return {
      url, prefix, keys,
      vigil: async ({ argv, commands, role = 'admin', env = {}, cwd = process.cwd() }) => {
        const out = capture();
        const err = capture();
        const io: CliIo = { stdout: out.stream, stderr: err.stream, cwd, env: { PATH: process.env.PATH, VIGIL_URL: url, VIGIL_API_KEY: keys[role], ...env } };
        const code = await runCli({ argv, commands, io });
        return { code, out: out.text(), err: err.text() };
      },
      stop: async () => {
        for (const s of started.reverse()) await s.cleanup();
      },
    };
  } catch (error) {
    for (const s of started.reverse()) await s.cleanup();
    throw error;
  }
}
