import { loadConfig, serviceConfigSchema, type ServiceConfig } from '@vigil/config';

/** Everything self-healing reads from its environment, parsed once at boot. */
export type SelfHealingConfig = ServiceConfig;

export const selfHealingConfigSchema = serviceConfigSchema('self-healing');

export function loadSelfHealingConfig(env: NodeJS.ProcessEnv = process.env): SelfHealingConfig {
  return loadConfig(selfHealingConfigSchema, env);
}
