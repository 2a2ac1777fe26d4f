import { loadConfig, serviceEnvShape, toServiceConfig, type ServiceConfig } from '@vigil/config';
import { z } from 'zod';

/** Everything model-registry reads from its environment, parsed once at boot. */
export interface ModelRegistryConfig extends ServiceConfig {
  /** Prefix of every registry subject and stream (tests give each run its own; production has none). */
  readonly pipelinePrefix: string;
  /** Folder of shipped `<name>/<version>/` models imported at start; undefined = `<repo>/models`. */
  readonly modelsDir: string | undefined;
  readonly importOnStart: boolean;
  readonly maxModelBytes: number;
  /** Rows of the committed contract sample every new version must score (golden run). */
  readonly goldenRows: number;
  /** A replica not heard from for this long drops out of the rollout status. */
  readonly rolloutForgetMs: number;
  /** Unfinished chunked uploads older than this are discarded. */
  readonly uploadTtlMs: number;
}

const int = (min: number, max: number, fallback: number) =>
  z.string().regex(/^\d+$/, 'must be a whole number').transform(Number).pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`)).default(fallback);

export const modelRegistryConfigSchema = z
  .object({
    ...serviceEnvShape('model-registry'),
    PIPELINE_PREFIX: z.string().regex(/^[A-Za-z0-9_-]{0,32}$/, 'must be up to 32 letters, digits, _ or -').default(''),
    MODELS_DIR: z.string().min(1).optional(),
    REGISTRY_IMPORT_ON_START: z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1').default(true),
    // Postgres bytea holds up to 1 GB; 512 MB keeps one artifact in memory on a small box.
    REGISTRY_MAX_MODEL_BYTES: int(1_024, 512 * 1024 * 1024, 64 * 1024 * 1024),
    REGISTRY_GOLDEN_ROWS: int(1, 100_000, 256),
    REGISTRY_ROLLOUT_FORGET_MS: int(1_000, 3_600_000, 30_000),
    REGISTRY_UPLOAD_TTL_MS: int(10_000, 86_400_000, 600_000),
  })
  .transform((env): ModelRegistryConfig => ({
    ...toServiceConfig('model-registry', env),
    pipelinePrefix: env.PIPELINE_PREFIX,
    modelsDir: env.MODELS_DIR,
    importOnStart: env.REGISTRY_IMPORT_ON_START,
    maxModelBytes: env.REGISTRY_MAX_MODEL_BYTES,
    goldenRows: env.REGISTRY_GOLDEN_ROWS,
    rolloutForgetMs: env.REGISTRY_ROLLOUT_FORGET_MS,
    uploadTtlMs: env.REGISTRY_UPLOAD_TTL_MS,
  }));

export function loadModelRegistryConfig(env: NodeJS.ProcessEnv = process.env): ModelRegistryConfig {
  return loadConfig(modelRegistryConfigSchema, env);
}
