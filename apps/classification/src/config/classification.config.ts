import { loadConfig, serviceEnvShape, toServiceConfig } from '@vigil/config';
import { type InferenceServiceConfig, stageEnvShape, toStageSettings } from '@vigil/inference';
import { z } from 'zod';

/** Everything classification reads from its environment, parsed once at boot. */
export type ClassificationConfig = InferenceServiceConfig;

export const classificationConfigSchema = z
  .object({ ...serviceEnvShape('classification'), ...stageEnvShape })
  .transform((env): ClassificationConfig => ({ ...toServiceConfig('classification', env), stage: toStageSettings(env) }));

export function loadClassificationConfig(env: NodeJS.ProcessEnv = process.env): ClassificationConfig {
  return loadConfig(classificationConfigSchema, env);
}
