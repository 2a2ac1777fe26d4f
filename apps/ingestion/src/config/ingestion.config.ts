import { loadConfig, serviceConfigSchema, type ServiceConfig } from '@vigil/config';

/** Everything ingestion reads from its environment, parsed once at boot. */
export type IngestionConfig = ServiceConfig;

export const ingestionConfigSchema = serviceConfigSchema('ingestion');

export function loadIngestionConfig(env: NodeJS.ProcessEnv = process.env): IngestionConfig {
  return loadConfig(ingestionConfigSchema, env);
}
