export { createLogger, type Logger, type LoggerOptions } from './logger/logger.factory';
export { redactSecrets, SECRET_FIELD_PATTERN } from './logger/logger.redaction';
export { NestLoggerAdapter } from './logger/nest-logger.adapter';
export {
  runWithCorrelationId,
  currentCorrelationId,
  newCorrelationId,
  correlationIdFrom,
} from './logger/correlation.context';
export { correlationMiddleware, CORRELATION_HEADER } from './logger/correlation.middleware';
export { Metrics, PROMETHEUS_CONTENT_TYPE, type MetricSpec } from './metrics/metrics.registry';
export { ReadinessRegistry, type ReadinessCheck, type ReadinessReport, type CheckResult } from './health/readiness.registry';
export { HealthModule } from './health/health.module';
export { SERVICE_IDENTITY, type ServiceIdentity } from './health/health.controller';
export { ObservabilityModule, LOGGER, type ObservabilityOptions } from './observability.module';
export { runService, type RunServiceOptions, type RuntimeConfig } from './service.runtime';
