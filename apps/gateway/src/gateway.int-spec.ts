import { expectEventually, startMigratedService, type MigratedService } from '@vigil/testing';

describe('gateway process', () => {
  let running: MigratedService;

  beforeAll(async () => {
    running = await startMigratedService({ app: 'gateway' });
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
    expect(await health.json()).toMatchObject({ status: 'ok', service: 'gateway' });

    const metrics = await fetch(`${service.url}/metrics`);
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    expect(await metrics.text()).toMatch(/^process_cpu_user_seconds_total\{service="gateway",instance="[^"]+"\} /m);

    const started = Date.now();
    const code = await service.stop('SIGTERM');
    expect(code).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    const lines = service.logLines();
    expect(lines.length).toBe(service.logs.length);
    expect(lines.every((line) => line.service === 'gateway')).toBe(true);
    expect(lines.map((line) => line.msg)).toEqual(expect.arrayContaining(['service started', 'shutting down', 'service stopped']));
  });
});
