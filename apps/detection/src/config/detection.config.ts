import { loadConfig, serviceEnvShape, toServiceConfig } from '@vigil/config';
import { type InferenceServiceConfig, stageEnvShape, toStageSettings } from '@vigil/inference';
import { z } from 'zod';

/** Everything detection reads from its environment, parsed once at boot. */
export type DetectionConfig = InferenceServiceConfig;

export const detectionConfigSchema = z
  .object({ ...serviceEnvShape('detection'), ...stageEnvShape })
  .transform((env): DetectionConfig => ({ ...toServiceConfig('detection', env), stage: toStageSettings(env) }));

export function loadDetectionConfig(env: NodeJS.ProcessEnv = process.env): DetectionConfig {
  return loadConfig(detectionConfigSchema, env);
}
