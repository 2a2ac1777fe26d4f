import { type DynamicModule, Module } from '@nestjs/common';
import { HealthModule } from './health/health.module';
import { type Logger } from './logger/logger.factory';
import { MetricsController } from './metrics/metrics.controller';
import { Metrics } from './metrics/metrics.registry';

/** Inject the process logger with `@Inject(LOGGER) logger: Logger`. */
export const LOGGER = Symbol('LOGGER');

export interface ObservabilityOptions {
  readonly service: string;
  readonly instance: string;
  readonly logger: Logger;
  readonly metrics: Metrics;
}

/**
 * Global: the process logger (LOGGER), the Metrics registry, the ReadinessRegistry, and the
 * `/healthz`, `/readyz` and `/metrics` endpoints.
 */
@Module({})
export class ObservabilityModule {
  static forRoot(options: ObservabilityOptions): DynamicModule {
    return {
      module: ObservabilityModule,
      global: true,
      imports: [HealthModule.forRoot({ service: options.service, instance: options.instance })],
      controllers: [MetricsController],
      providers: [
        { provide: LOGGER, useValue: options.logger },
        { provide: Metrics, useValue: options.metrics },
      ],
      exports: [LOGGER, Metrics, HealthModule],
    };
  }
}
