import { loadConfig, serviceConfigSchema, type ServiceConfig } from '@vigil/config';

/** Everything detection reads from its environment, parsed once at boot. */
export type DetectionConfig = ServiceConfig;

export const detectionConfigSchema = serviceConfigSchema('detection');

export function loadDetectionConfig(env: NodeJS.ProcessEnv = process.env): DetectionConfig {
  return loadConfig(detectionConfigSchema, env);
}
