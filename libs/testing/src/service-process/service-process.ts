import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { SERVICE_PORTS, type ServiceName } from '@vigil/config';
import { ensureBuilt, repoRoot } from './build-freshness';
import { freePort } from './free-port';
import { deletePipelineStreams, isolatedPipelinePrefix } from '../pipeline-isolation/pipeline-isolation';
import { inheritedEnv } from './service-process.config';

export interface StartServiceOptions {
  readonly app: ServiceName;
  /**
   * Extra environment (DATABASE_SCHEMA_PREFIX, NATS_URL, ...); the HTTP port is chosen free unless
   * given. Without a PIPELINE_PREFIX the service gets a private one, whose streams `stop()` deletes.
   */
  readonly env?: Record<string, string>;
  /** Resolve once `/healthz` answers (default), or right after spawning. */
  readonly waitFor?: 'healthz' | 'none';
  readonly timeoutMs?: number;
}

export interface ServiceProcess {
  readonly app: ServiceName;
  readonly pid: number;
  readonly port: number;
  /** http://127.0.0.1:<port> */
  readonly url: string;
  /** Every stdout and stderr line so far, in arrival order. */
  readonly logs: string[];
  /** The JSON log lines so far, parsed (non-JSON lines skipped). */
  logLines(): Record<string, unknown>[];
  /** Resolves with the exit code (null when killed by a signal). */
  readonly exitCode: Promise<number | null>;
  /** Sends `signal` (SIGTERM by default) and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Spawns the built service (`node dist/apps/<app>/src/main.js`) on a free port, building dist first when stale. */
export async function startService(options: StartServiceOptions): Promise<ServiceProcess> {
  const root = repoRoot();
  await ensureBuilt(root);
  const { envKey } = SERVICE_PORTS[options.app];
  const port = Number(options.env?.[envKey] ?? (await freePort()));
  const ownPrefix = options.env?.['PIPELINE_PREFIX'] === undefined ? isolatedPipelinePrefix() : undefined;
  const child = spawn(process.execPath, [join(root, 'dist', 'apps', options.app, 'src', 'main.js')], {
    cwd: root,
    env: { ...inheritedEnv(), LOG_LEVEL: 'info', PIPELINE_PREFIX: ownPrefix ?? '', ...options.env, [envKey]: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const service = track({ child, app: options.app, port, ownPrefix });
  if ((options.waitFor ?? 'healthz') === 'healthz') await waitForHealthz(service, options.timeoutMs ?? 20_000);
  return service;
}

function track(args: { child: ChildProcess; app: ServiceName; port: number; ownPrefix?: string }): ServiceProcess {
  const { child, app, port, ownPrefix } = args;
  const logs: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) createInterface({ input: stream }).on('line', (line) => logs.push(line));
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // The private prefix's streams go with the process, whichever way it ends.
  const exitCode = ownPrefix === undefined ? exited : exited.then(async (code) => {
    await deletePipelineStreams(ownPrefix).catch(() => []);
    return code;
  });
  return {
    app,
    pid: child.pid ?? -1,
    port,
    url: `http://127.0.0.1:${port}`,
    logs,
    logLines: () => logs.flatMap((line) => parseJson(line)),
    exitCode,
    stop: (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exitCode;
    },
  };
}

function parseJson(line: string): Record<string, unknown>[] {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null ? [value as Record<string, unknown>] : [];
  } catch {
    return [];
  }
}

async function waitForHealthz(service: ServiceProcess, timeoutMs: number): Promise<void> {
  let exited: number | null | undefined;
  void service.exitCode.then((code) => {
    exited = code;
  });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited !== undefined) throw new Error(`${service.app} exited with ${String(exited)} before answering /healthz:\n${service.logs.join('\n')}`);
    try {
      const res = await fetch(`${service.url}/healthz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await service.stop('SIGKILL');
  throw new Error(`${service.app} did not answer /healthz within ${timeoutMs} ms:\n${service.logs.join('\n')}`);
}
