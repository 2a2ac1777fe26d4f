import type { ServiceName } from '@vigil/config';
import { expectEventually } from '../eventually/expect-eventually';
import { startMigratedService } from './migrated-service';

export interface ServiceLifecycleOptions {
  readonly app: ServiceName;
  readonly env?: Record<string, string>;
  /** The readiness checks `/readyz` must list once ready; defaults to the ones every service has. */
  readonly readinessChecks?: readonly string[];
}

export interface ServiceUnreadyOptions {
  readonly app: ServiceName;
  readonly env?: Record<string, string>;
  /** The one check `/readyz` must name as failed. */
  readonly failedCheck: string;
  /** Text that check's error must contain, so operators know what to fix. */
  readonly errorContains: string;
}

interface ReadyzBody {
  readonly failed?: string[];
  readonly checks: { name: string; ok: boolean; error?: string }[];
}

const BASE_CHECKS = ['migrations', 'nats', 'postgres'];

/**
 * The contract every service process keeps: it becomes ready on a migrated schema against real
 * NATS and Postgres, serves `/healthz` and `/metrics`, logs only JSON lines tagged with its name,
 * and exits 0 within 10 s of SIGTERM.
 */
export async function expectServiceLifecycle(options: ServiceLifecycleOptions): Promise<void> {
  const { app } = options;
  const running = await startMigratedService({ app, env: options.env });
  try {
    const { service } = running;
    const ready = await expectEventually(async () => {
      const res = await fetch(`${service.url}/readyz`);
      expect(res.status).toBe(200);
      return (await res.json()) as ReadyzBody;
    }, { timeoutMs: 10_000 });
    expect(ready.checks.map((c) => c.name).sort()).toEqual([...(options.readinessChecks ?? BASE_CHECKS)].sort());

    const health = await fetch(`${service.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', service: app });

    const metrics = await fetch(`${service.url}/metrics`);
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    expect(await metrics.text()).toMatch(new RegExp(`^process_cpu_user_seconds_total\\{service="${app}",instance="[^"]+"\\} `, 'm'));

    const started = Date.now();
    expect(await service.stop('SIGTERM')).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    const lines = service.logLines();
    expect(lines.length).toBe(service.logs.length);
    expect(lines.every((line) => line.service === app)).toBe(true);
    expect(lines.map((line) => line.msg)).toEqual(expect.arrayContaining(['service started', 'shutting down', 'service stopped']));
  } finally {
    await running.cleanup();
  }
}

/** Starts `app` on a migrated schema and expects `/readyz` to answer 503 naming only `failedCheck`. */
export async function expectServiceUnready(options: ServiceUnreadyOptions): Promise<void> {
  const running = await startMigratedService({ app: options.app, env: options.env });
  try {
    const body = await expectEventually(async () => {
      const res = await fetch(`${running.service.url}/readyz`);
      expect(res.status).toBe(503);
      const json = (await res.json()) as ReadyzBody;
      expect(json.failed).toEqual([options.failedCheck]);
      return json;
    }, { timeoutMs: 10_000 });
    expect(body.checks.find((c) => c.name === options.failedCheck)?.error).toContain(options.errorContains);
  } finally {
    await running.cleanup();
  }
}
