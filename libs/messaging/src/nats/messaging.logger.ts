/**
 * The logging surface this lib needs; pino loggers satisfy it as they are, so apps pass
 * their observability logger and the lib never writes to stdout itself.
 */
export interface MessagingLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export const silentLogger: MessagingLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
