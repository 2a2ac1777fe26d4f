import { loadConfig, serviceConfigSchema, type ServiceConfig } from '@vigil/config';

/** Everything gateway reads from its environment, parsed once at boot. */
export type GatewayConfig = ServiceConfig;

export const gatewayConfigSchema = serviceConfigSchema('gateway');

export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  return loadConfig(gatewayConfigSchema, env);
}
