import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { pipelineTopology } from '@vigil/contracts';
import { expectEventually, startMigratedService, startService, type MigratedService, uniqueName } from '@vigil/testing';

// A private pipeline prefix, so the streams this run creates are its own.
const prefix = uniqueName('ing').replace(/[^A-Za-z0-9_-]/g, '').slice(0, 24);

afterAll(async () => {
  const nc = await connect({ servers: process.env.NATS_URL ?? 'nats://127.0.0.1:4222' });
  const jsm = await jetstreamManager(nc);
  for (const s of Object.values(pipelineTopology(prefix).streams)) await jsm.streams.delete(s.name).catch(() => false);
  await nc.close();
});

describe('ingestion process', () => {
  let running: MigratedService;

  beforeAll(async () => {
    running = await startMigratedService({ app: 'ingestion', env: { PIPELINE_PREFIX: prefix } });
  });

  afterAll(() => running.cleanup());

  it('becomes ready against real NATS and Postgres, serves health and metrics, and stops cleanly on SIGTERM', async () => {
    const { service } = running;
    const ready = await expectEventually(async () => {
      const res = await fetch(`${service.url}/readyz`);
      expect(res.status).toBe(200);
      return (await res.json()) as { checks: { name: string; ok: boolean }[] };
    }, { timeoutMs: 10_000 });
    expect(ready.checks.map((c) => c.name).sort()).toEqual(['migrations', 'nats', 'postgres']);

    const health = await fetch(`${service.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', service: 'ingestion' });

    const metrics = await fetch(`${service.url}/metrics`);
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    expect(await metrics.text()).toMatch(/^process_cpu_user_seconds_total\{service="ingestion",instance="[^"]+"\} /m);

    const started = Date.now();
    const code = await service.stop('SIGTERM');
    expect(code).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    const lines = service.logLines();
    expect(lines.length).toBe(service.logs.length);
    expect(lines.every((line) => line.service === 'ingestion')).toBe(true);
    expect(lines.map((line) => line.msg)).toEqual(expect.arrayContaining(['service started', 'shutting down', 'service stopped']));
  });
});

describe('ingestion start-up guards', () => {
  it('stays unready, naming the migrations check, until its schema is migrated', async () => {
    const unmigrated = await startMigratedService({ app: 'ingestion', migrate: false, env: { PIPELINE_PREFIX: prefix } });
    try {
      const res = await fetch(`${unmigrated.service.url}/readyz`);
      expect(res.status).toBe(503);
      const body = (await res.json()) as { failed: string[]; checks: { name: string; error?: string }[] };
      expect(body.failed).toEqual(['migrations']);
      expect(body.checks.find((c) => c.name === 'migrations')?.error).toContain('run `vigil migrate`');
    } finally {
      await unmigrated.cleanup();
    }
  });

  it('refuses to start on a bad environment, listing every bad key as one JSON log line', async () => {
    const bad = await startService({
      app: 'ingestion',
      env: { LOG_LEVEL: 'chatty', NATS_URL: 'http://nats', DATABASE_URL: 'postgres://u:hunter22@db/x', SHUTDOWN_TIMEOUT_MS: 'soon' },
      waitFor: 'none',
    });
    expect(await bad.exitCode).toBe(1);
    const fatal = bad.logLines().find((line) => line.level === 'fatal');
    expect(fatal).toMatchObject({ code: 'CONFIG.INVALID' });
    const keys = (fatal?.details as { issues: { key: string }[] }).issues.map((issue) => issue.key).sort();
    expect(keys).toEqual(['LOG_LEVEL', 'NATS_URL', 'SHUTDOWN_TIMEOUT_MS']);
    expect(bad.logs.join('\n')).not.toContain('hunter22');
  });
});
