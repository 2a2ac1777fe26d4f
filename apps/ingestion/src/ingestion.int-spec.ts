import { deletePipelineStreams, expectServiceLifecycle, startMigratedService, startService, uniqueName } from '@vigil/testing';

// A private pipeline prefix, so the streams this run creates are its own.
const prefix = uniqueName('ing').replace(/[^A-Za-z0-9_-]/g, '').slice(0, 24);

afterAll(() => deletePipelineStreams(prefix));

describe('ingestion process', () => {
  it('becomes ready against real NATS and Postgres, serves health and metrics, and stops cleanly on SIGTERM', () =>
    expectServiceLifecycle({ app: 'ingestion', env: { PIPELINE_PREFIX: prefix } }));
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
