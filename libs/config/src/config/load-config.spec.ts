import { z } from 'zod';
import { ConfigError } from './config.errors';
import { loadConfig } from './load-config';
import { serviceConfigSchema, serviceEnvShape, toServiceConfig } from './service-config.schemas';

function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('applies the documented defaults for an empty environment', () => {
    const config = loadConfig(serviceConfigSchema('ingestion'), { SERVICE_INSTANCE: 'i-1' });
    expect(config).toEqual({
      service: 'ingestion',
      instance: 'i-1',
      port: 9101,
      logLevel: 'info',
      natsServers: ['nats://127.0.0.1:4222'],
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/test',
      databaseSchema: 'ingestion',
      shutdownTimeoutMs: 8000,
    });
  });

  it('uses each service its own port key and schema name', () => {
    const env = { GATEWAY_PORT: '18080', MODEL_REGISTRY_PORT: '19104', DATABASE_SCHEMA_PREFIX: 't1_' };
    expect(loadConfig(serviceConfigSchema('gateway'), env).port).toBe(18080);
    const registry = loadConfig(serviceConfigSchema('model-registry'), env);
    expect(registry.port).toBe(19104);
    expect(registry.databaseSchema).toBe('t1_model_registry');
  });

  it('treats an empty variable as unset and accepts several NATS servers', () => {
    const config = loadConfig(serviceConfigSchema('detection'), { DETECTION_PORT: '', NATS_URL: 'nats://a:4222, nats://b:4222' });
    expect(config.port).toBe(9102);
    expect(config.natsServers).toEqual(['nats://a:4222', 'nats://b:4222']);
  });

  it('lists every bad key with its reason in one error', () => {
    const error = configError(() =>
      loadConfig(serviceConfigSchema('self-healing'), {
        SELF_HEALING_PORT: 'eighty',
        NATS_URL: 'http://127.0.0.1:4222',
        DATABASE_URL: 'mysql://root@db/x',
        LOG_LEVEL: 'loud',
        SHUTDOWN_TIMEOUT_MS: '5',
      }),
    );
    expect(error.code).toBe('CONFIG.INVALID');
    expect(error.issues.map((issue) => issue.key).sort()).toEqual(
      ['DATABASE_URL', 'LOG_LEVEL', 'NATS_URL', 'SELF_HEALING_PORT', 'SHUTDOWN_TIMEOUT_MS'].sort(),
    );
    expect(error.message).toContain('SELF_HEALING_PORT: must be a whole number (got "eighty")');
    expect(error.message).toContain('SHUTDOWN_TIMEOUT_MS: must be at least 100');
    expect(error.message).toMatch(/5 bad keys/);
  });

  it('rejects an out-of-range port', () => {
    const error = configError(() => loadConfig(serviceConfigSchema('gateway'), { GATEWAY_PORT: '70000' }));
    expect(error.issues).toEqual([{ key: 'GATEWAY_PORT', reason: 'must be between 1 and 65535 (got "70000")' }]);
  });

  it('never prints the value of a secret key or a URL password', () => {
    const schema = z.object({
      ...serviceEnvShape('gateway'),
      API_TOKEN: z.string().min(32, 'must be at least 32 characters'),
      WEBHOOK_SECRET: z.string().refine((v) => v.startsWith('whsec_'), { message: 'bad prefix' }),
    }).transform((env) => ({ ...toServiceConfig('gateway', env), token: env.API_TOKEN }));
    const error = configError(() =>
      loadConfig(schema, {
        API_TOKEN: 'hunter2-short',
        WEBHOOK_SECRET: 'plain-s3cret',
        DATABASE_URL: 'mysql://root:pa55word@db/x',
      }),
    );
    const printed = `${error.message}\n${JSON.stringify(error.details)}`;
    expect(printed).toContain('API_TOKEN: must be at least 32 characters (got [redacted])');
    expect(printed).toContain('WEBHOOK_SECRET: bad prefix (got [redacted])');
    expect(printed).toContain('DATABASE_URL');
    expect(printed).not.toContain('hunter2-short');
    expect(printed).not.toContain('plain-s3cret');
    expect(printed).not.toContain('pa55word');
  });

  it('reports a required key that is missing', () => {
    const schema = z.object({ ...serviceEnvShape('ingestion'), UPLOAD_DIR: z.string({ error: 'is required' }) });
    const error = configError(() => loadConfig(schema, {}));
    expect(error.issues).toEqual([{ key: 'UPLOAD_DIR', reason: 'is required' }]);
  });
});
