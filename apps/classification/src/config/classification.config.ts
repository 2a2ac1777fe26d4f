import { loadConfig, serviceConfigSchema, type ServiceConfig } from '@vigil/config';

/** Everything classification reads from its environment, parsed once at boot. */
export type ClassificationConfig = ServiceConfig;

export const classificationConfigSchema = serviceConfigSchema('classification');

export function loadClassificationConfig(env: NodeJS.ProcessEnv = process.env): ClassificationConfig {
  return loadConfig(classificationConfigSchema, env);
}
