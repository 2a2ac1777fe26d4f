import { type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { HealthModule } from './health.module';
import { ReadinessRegistry } from './readiness.registry';

describe('health endpoints', () => {
  let app: INestApplication;
  let base: string;
  let readiness: ReadinessRegistry;
  let postgresUp: boolean;

  beforeEach(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [HealthModule.forRoot({ service: 'detection', instance: 'd-1' })] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.listen(0, '127.0.0.1');
    base = await app.getUrl();
    readiness = app.get(ReadinessRegistry);
    postgresUp = true;
    readiness.register('nats', () => Promise.resolve());
    readiness.register('postgres', () => (postgresUp ? Promise.resolve() : Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432'))));
  });

  afterEach(() => app.close());

  it('answers /healthz with the service identity', async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', service: 'detection', instance: 'd-1' });
  });

  it('answers /readyz 200 when every check passes', async () => {
    const res = await fetch(`${base}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ready', checks: [{ name: 'nats', ok: true }, { name: 'postgres', ok: true }] });
  });

  it('answers /readyz 503 naming the check that failed and why', async () => {
    postgresUp = false;
    const res = await fetch(`${base}/readyz`);
    expect(res.status).toBe(503);
    const body = (await res.json()) as { failed: string[]; checks: { name: string; ok: boolean; error?: string }[] };
    expect(body.failed).toEqual(['postgres']);
    expect(body.checks).toContainEqual(expect.objectContaining({ name: 'postgres', ok: false, error: 'connect ECONNREFUSED 127.0.0.1:5432' }));
    expect(body.checks).toContainEqual(expect.objectContaining({ name: 'nats', ok: true }));
  });

  it('treats a check that hangs past its deadline as failed', async () => {
    readiness.register('hung', () => new Promise<void>(() => undefined), { timeoutMs: 50 });
    const res = await fetch(`${base}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ failed: ['hung'] });
  });

  it('reports not ready once shutdown has begun', async () => {
    readiness.markShuttingDown();
    const res = await fetch(`${base}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ failed: ['shutdown'] });
  });
});
