import { type DynamicModule, type INestApplication, Module, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { isVigilError } from '@vigil/errors';
import { redactConfig } from '@vigil/config';
import { ReadinessRegistry } from './health/readiness.registry';
import { correlationMiddleware } from './logger/correlation.middleware';
import { createLogger, type Logger } from './logger/logger.factory';
import { NestLoggerAdapter } from './logger/nest-logger.adapter';
import { Metrics } from './metrics/metrics.registry';
import { ObservabilityModule } from './observability.module';

/** The part of a service's config the runtime needs. */
export interface RuntimeConfig {
  readonly service: string;
  readonly instance: string;
  readonly port: number;
  readonly logLevel: string;
  readonly shutdownTimeoutMs: number;
}

export interface RunServiceOptions<C extends RuntimeConfig> {
  /** Parses the environment; a ConfigError stops start-up listing every bad key. */
  readonly config: () => C;
  readonly module: (config: C) => DynamicModule | Type;
  /** Attaches transports (e.g. a JetStream consumer strategy) before the app starts listening. */
  readonly connect?: (app: INestApplication, config: C) => void | Promise<void>;
}

@Module({})
class ServiceRootModule {}

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * Boots one service process: config, JSON logger, metrics, Nest app with health endpoints,
 * then waits for SIGTERM/SIGINT to stop consuming, drain and exit 0. We handle the signals
 * ourselves rather than with `enableShutdownHooks()`, because Nest re-raises the signal after
 * closing and the process would then die by signal (exit 143) instead of exiting 0; the
 * lifecycle hooks (onModuleDestroy, beforeApplicationShutdown, onApplicationShutdown) run
 * the same way through `app.close()`.
 */
export async function runService<C extends RuntimeConfig>(options: RunServiceOptions<C>): Promise<void> {
  let config: C;
  try {
    config = options.config();
  } catch (error) {
    failBoot(createLogger({ service: 'unknown', instance: String(process.pid) }), error, 'invalid configuration');
    return;
  }
  const logger = createLogger({ service: config.service, instance: config.instance, level: config.logLevel });
  installCrashHandlers(logger);
  const shutdown = installSignalHandlers({ config, logger });
  try {
    shutdown.attach(await startApp(options, config, logger));
  } catch (error) {
    failBoot(logger, error, 'service failed to start');
  }
}

async function startApp<C extends RuntimeConfig>(options: RunServiceOptions<C>, config: C, logger: Logger): Promise<INestApplication> {
  const metrics = new Metrics({ service: config.service, instance: config.instance });
  const root: DynamicModule = {
    module: ServiceRootModule,
    imports: [
      ObservabilityModule.forRoot({ service: config.service, instance: config.instance, logger, metrics }),
      options.module(config),
    ],
  };
  const app = await NestFactory.create(root, { logger: new NestLoggerAdapter(logger), abortOnError: false });
  app.use(correlationMiddleware);
  await options.connect?.(app, config);
  await app.startAllMicroservices();
  await app.listen(config.port);
  const bootMs = Math.round(process.uptime() * 1000);
  logger.info({ port: config.port, bootMs, config: redactConfig(config) }, 'service started');
  return app;
}

/**
 * Signals are watched from the first moment: one that arrives while the app is still booting
 * is honoured as soon as boot finishes (the deadline already runs), instead of killing the
 * process half-connected.
 */
function installSignalHandlers(args: { config: RuntimeConfig; logger: Logger }): { attach(app: INestApplication): void } {
  const { config, logger } = args;
  let app: INestApplication | undefined;
  let requested: { signal: string; started: number } | undefined;
  const close = (target: INestApplication, started: number): void => {
    target.get(ReadinessRegistry).markShuttingDown();
    target.close().then(
      () => {
        logger.info({ shutdownMs: Math.round(performance.now() - started) }, 'service stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.fatal({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  const stop = (signal: string): void => {
    if (requested) return;
    requested = { signal, started: performance.now() };
    logger.info({ signal, timeoutMs: config.shutdownTimeoutMs, booted: app !== undefined }, 'shutting down');
    setTimeout(() => {
      logger.fatal({ timeoutMs: config.shutdownTimeoutMs }, 'shutdown did not finish in time; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    if (app) close(app, requested.started);
  };
  // `on`, not `once`: a terminal's Ctrl-C reaches the process twice (from the tty and from a
  // supervisor forwarding it), and a second signal with no listener would kill it mid-drain.
  for (const signal of SIGNALS) process.on(signal, () => stop(signal));
  return {
    attach(started: INestApplication): void {
      app = started;
      if (requested) close(started, requested.started);
    },
  };
}

function installCrashHandlers(logger: Logger): void {
  process.on('uncaughtException', (error) => {
    logger.fatal({ err: error }, 'uncaught exception');
    process.exit(1);
  });
  process.on('unhandledRejection', (reason) => {
    logger.fatal({ err: reason }, 'unhandled promise rejection');
    process.exit(1);
  });
}

function failBoot(logger: Logger, error: unknown, msg: string): void {
  const fields = isVigilError(error) ? { code: error.code, details: error.details } : {};
  logger.fatal({ ...fields, err: error }, `${msg}: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
