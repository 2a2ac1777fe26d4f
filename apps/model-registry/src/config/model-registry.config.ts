import { loadConfig, serviceConfigSchema, type ServiceConfig } from '@vigil/config';

/** Everything model-registry reads from its environment, parsed once at boot. */
export type ModelRegistryConfig = ServiceConfig;

export const modelRegistryConfigSchema = serviceConfigSchema('model-registry');

export function loadModelRegistryConfig(env: NodeJS.ProcessEnv = process.env): ModelRegistryConfig {
  return loadConfig(modelRegistryConfigSchema, env);
}
