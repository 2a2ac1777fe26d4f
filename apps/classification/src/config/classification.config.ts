import { loadConfig, serviceEnvShape, toServiceConfig, type ServiceConfig } from '@vigil/config';
import { z } from 'zod';
import { type StageSettings, stageEnvShape, toStageSettings } from './stage.config';

/** Everything classification reads from its environment, parsed once at boot. */
export interface ClassificationConfig extends ServiceConfig {
  readonly stage: StageSettings;
}

export const classificationConfigSchema = z
  .object({ ...serviceEnvShape('classification'), ...stageEnvShape })
  .transform((env): ClassificationConfig => ({ ...toServiceConfig('classification', env), stage: toStageSettings(env) }));

export function loadClassificationConfig(env: NodeJS.ProcessEnv = process.env): ClassificationConfig {
  return loadConfig(classificationConfigSchema, env);
}
