import { z } from 'zod';

/** Settings of an inference stage (the same keys in detection and classification). */
export interface StageSettings {
  readonly pipelinePrefix: string;
  /** Folder holding `<model-name>/<version>/`; default `<repo>/models`. */
  readonly modelsDir: string | undefined;
  readonly batchMaxFlows: number;
  readonly batchMaxWaitMs: number;
  readonly ackWaitMs: number;
  readonly maxDeliver: number;
}

const int = (min: number, max: number, fallback: number) =>
  z.string().regex(/^\d+$/, 'must be a whole number').transform(Number).pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`)).default(fallback);

export const stageEnvShape = {
  PIPELINE_PREFIX: z.string().regex(/^[A-Za-z0-9_-]{0,32}$/, 'must be up to 32 letters, digits, _ or -').default(''),
  MODELS_DIR: z.string().min(1).optional(),
  BATCH_MAX_FLOWS: int(1, 16_384, 512),
  BATCH_MAX_WAIT_MS: int(0, 1_000, 5),
  STAGE_ACK_WAIT_MS: int(1_000, 300_000, 30_000),
  STAGE_MAX_DELIVER: int(1, 100, 10),
};

type StageEnv = z.output<z.ZodObject<typeof stageEnvShape>>;

export function toStageSettings(env: StageEnv): StageSettings {
  return {
    pipelinePrefix: env.PIPELINE_PREFIX, modelsDir: env.MODELS_DIR, batchMaxFlows: env.BATCH_MAX_FLOWS,
    batchMaxWaitMs: env.BATCH_MAX_WAIT_MS, ackWaitMs: env.STAGE_ACK_WAIT_MS, maxDeliver: env.STAGE_MAX_DELIVER,
  };
}
