import { z } from 'zod';

/** Where an inference stage takes its models from. */
export type ModelSource = 'registry' | 'files';

/** Settings of an inference stage (the same keys in detection and classification). */
export interface StageSettings {
  readonly pipelinePrefix: string;
  /** Folder holding `<model-name>/<version>/`; default `<repo>/models`. */
  readonly modelsDir: string | undefined;
  /**
   * `registry`: serve each model's production alias and follow its moves; the shipped model
   * serves only while the registry holds no version of it. `files`: shipped models only.
   */
  readonly modelSource: ModelSource;
  /** Downloaded artifacts by sha256; none when unset. */
  readonly modelCacheDir: string | undefined;
  /** The deployment's home network for `ctx.*` features; undefined = each manifest's `homeNet`. */
  readonly homeNet: readonly string[] | undefined;
  readonly batchMaxFlows: number;
  readonly batchMaxWaitMs: number;
  readonly ackWaitMs: number;
  readonly maxDeliver: number;
  /** Input messages pulled ahead of processing. */
  readonly pullAhead: number;
  /** Micro-batches in process at once per replica. */
  readonly concurrency: number;
  /** Stages that explain (classification): attach Saabas attributions to every threat. */
  readonly explanations: boolean;
  /** Stages that watch drift (detection): live PSI per served version against its reference histograms. */
  readonly drift: DriftSettings;
}

export interface DriftSettings {
  readonly enabled: boolean;
  readonly slots: number;
  readonly slotMs: number;
  /** Overall PSI at which a version's drift alert fires. */
  readonly bound: number;
  /** How often gauges are refreshed and the alert checked. */
  readonly reportMs: number;
}

const int = (min: number, max: number, fallback: number) =>
  z.string().regex(/^\d+$/, 'must be a whole number').transform(Number).pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`)).default(fallback);

const cidr = /^(\d{1,3}(\.\d{1,3}){3}\/\d{1,2}|[0-9A-Fa-f:]+\/\d{1,3})$/;

export const stageEnvShape = {
  PIPELINE_PREFIX: z.string().regex(/^[A-Za-z0-9_-]{0,32}$/, 'must be up to 32 letters, digits, _ or -').default(''),
  MODELS_DIR: z.string().min(1).optional(),
  MODEL_SOURCE: z.enum(['registry', 'files']).default('registry'),
  MODEL_CACHE_DIR: z.string().min(1).optional(),
  HOME_NET: z
    .string()
    .transform((v) => v.split(',').map((s) => s.trim()).filter((s) => s !== ''))
    .pipe(z.array(z.string().regex(cidr, 'must be comma-separated CIDRs, e.g. 192.168.0.0/16,10.0.0.0/8')).min(1, 'must name at least one CIDR'))
    .optional(),
  BATCH_MAX_FLOWS: int(1, 16_384, 512),
  BATCH_MAX_WAIT_MS: int(0, 1_000, 5),
  STAGE_ACK_WAIT_MS: int(1_000, 300_000, 30_000),
  STAGE_MAX_DELIVER: int(1, 100, 10),
  STAGE_PULL_AHEAD: int(1, 4_096, 64),
  STAGE_CONCURRENCY: int(1, 16, 2),
  EXPLANATIONS: z.enum(['on', 'off']).default('on'),
  DRIFT: z.enum(['on', 'off']).default('on'),
  DRIFT_WINDOW_SLOTS: int(1, 1_000, 10),
  DRIFT_SLOT_MS: int(100, 86_400_000, 60_000),
  DRIFT_PSI_BOUND: z.string().regex(/^\d+(\.\d+)?$/, 'must be a positive number, e.g. 0.2').transform(Number).pipe(z.number().positive('must be above 0')).default(0.2),
  DRIFT_REPORT_MS: int(100, 600_000, 5_000),
};

type StageEnv = z.output<z.ZodObject<typeof stageEnvShape>>;

export function toStageSettings(env: StageEnv): StageSettings {
  return {
    pipelinePrefix: env.PIPELINE_PREFIX, modelsDir: env.MODELS_DIR, modelSource: env.MODEL_SOURCE, modelCacheDir: env.MODEL_CACHE_DIR, homeNet: env.HOME_NET,
    batchMaxFlows: env.BATCH_MAX_FLOWS, batchMaxWaitMs: env.BATCH_MAX_WAIT_MS, ackWaitMs: env.STAGE_ACK_WAIT_MS, maxDeliver: env.STAGE_MAX_DELIVER,
    pullAhead: env.STAGE_PULL_AHEAD, concurrency: env.STAGE_CONCURRENCY, explanations: env.EXPLANATIONS === 'on',
    drift: { enabled: env.DRIFT === 'on', slots: env.DRIFT_WINDOW_SLOTS, slotMs: env.DRIFT_SLOT_MS, bound: env.DRIFT_PSI_BOUND, reportMs: env.DRIFT_REPORT_MS },
  };
}
