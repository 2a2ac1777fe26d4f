import pino, { type DestinationStream, type Logger as PinoLogger } from 'pino';
import { currentCorrelationId } from './correlation.context';
import { redactSecrets } from './logger.redaction';

export type Logger = PinoLogger;

export interface LoggerOptions {
  readonly service: string;
  readonly instance: string;
  readonly level?: string;
  /** Where lines go; stdout (synchronously, so the last lines survive process.exit) by default. */
  readonly destination?: DestinationStream;
}

/**
 * One JSON object per line: time (ISO), level (label), service, instance, correlationId
 * (from the async context, when there is one), msg, and the fields passed in.
 */
export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: options.service, instance: options.instance },
      timestamp: pino.stdTimeFunctions.isoTime,
      messageKey: 'msg',
      formatters: {
        level: (label) => ({ level: label }),
        log: (object) => redactSecrets(object) as Record<string, unknown>,
      },
      mixin: () => {
        const correlationId = currentCorrelationId();
        return correlationId === undefined ? {} : { correlationId };
      },
    },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}
