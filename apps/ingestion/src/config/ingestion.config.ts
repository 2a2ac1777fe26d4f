import { loadConfig, serviceEnvShape, toServiceConfig, type ServiceConfig } from '@vigil/config';
import { z } from 'zod';

/** Everything ingestion reads from its environment, parsed once at boot. */
export interface IngestionConfig extends ServiceConfig {
  /** Subject/stream prefix of the pipeline (empty in production; tests give each run its own). */
  readonly pipelinePrefix: string;
  /** Flows per published batch message. */
  readonly batchMaxFlows: number;
  /** Ingest messages handled at once (their PubAck waits overlap the next one's parsing). */
  readonly concurrency: number;
  /** Deliveries of an ingest chunk before it is dead-lettered: transient failures are retried with backoff (0.5 s doubling, capped at 30 s). */
  readonly maxDeliver: number;
  /** Flow ids remembered to drop a re-sent record (per instance). */
  readonly dedupCapacity: number;
  /** Sensor name for records whose producer names none. */
  readonly defaultSensor: string;
}

const int = (min: number, max: number, fallback: number) =>
  z.string().regex(/^\d+$/, 'must be a whole number').transform(Number).pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`)).default(fallback);

export const ingestionConfigSchema = z
  .object({
    ...serviceEnvShape('ingestion'),
    PIPELINE_PREFIX: z.string().regex(/^[A-Za-z0-9_-]{0,32}$/, 'must be up to 32 letters, digits, _ or -').default(''),
    INGEST_BATCH_MAX_FLOWS: int(1, 4096, 512),
    INGEST_CONCURRENCY: int(1, 64, 4),
    INGEST_MAX_DELIVER: int(2, 1_000, 30),
    INGEST_DEDUP_CAPACITY: int(0, 10_000_000, 500_000),
    INGEST_DEFAULT_SENSOR: z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/, 'must be 1-64 letters, digits, ., _, : or -').default('unknown'),
  })
  .transform((env): IngestionConfig => ({
    ...toServiceConfig('ingestion', env),
    pipelinePrefix: env.PIPELINE_PREFIX,
    batchMaxFlows: env.INGEST_BATCH_MAX_FLOWS,
    concurrency: env.INGEST_CONCURRENCY,
    maxDeliver: env.INGEST_MAX_DELIVER,
    dedupCapacity: env.INGEST_DEDUP_CAPACITY,
    defaultSensor: env.INGEST_DEFAULT_SENSOR,
  }));

export function loadIngestionConfig(env: NodeJS.ProcessEnv = process.env): IngestionConfig {
  return loadConfig(ingestionConfigSchema, env);
}
