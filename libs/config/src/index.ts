export { loadConfig } from './config/load-config';
export { ConfigError, type ConfigIssue } from './config/config.errors';
export { SECRET_KEY_PATTERN, REDACTED, isSecretKey, redactUrl, redactConfig } from './config/config.redaction';
export {
  SERVICE_NAMES,
  SERVICE_PORTS,
  LOG_LEVELS,
  DEFAULT_NATS_URL,
  DEFAULT_DATABASE_URL,
  sharedEnvShape,
  serviceEnvShape,
  serviceConfigSchema,
  serviceSchemaName,
  isServiceName,
  portSchema,
  toServiceConfig,
  type ServiceName,
  type ServiceConfig,
  type LogLevel,
} from './config/service-config.schemas';
