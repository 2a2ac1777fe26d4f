import { loadConfig, serviceEnvShape, toServiceConfig, type ServiceConfig } from '@vigil/config';
import { z } from 'zod';
import { type StageSettings, stageEnvShape, toStageSettings } from './stage.config';

/** Everything detection reads from its environment, parsed once at boot. */
export interface DetectionConfig extends ServiceConfig {
  readonly stage: StageSettings;
}

export const detectionConfigSchema = z
  .object({ ...serviceEnvShape('detection'), ...stageEnvShape })
  .transform((env): DetectionConfig => ({ ...toServiceConfig('detection', env), stage: toStageSettings(env) }));

export function loadDetectionConfig(env: NodeJS.ProcessEnv = process.env): DetectionConfig {
  return loadConfig(detectionConfigSchema, env);
}
