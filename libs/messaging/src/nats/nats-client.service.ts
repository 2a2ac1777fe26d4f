import { connect } from '@nats-io/transport-node';
import { type NatsConnection } from '@nats-io/nats-core';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { MessagingError, MessagingErrorCode } from './messaging.errors';
import { silentLogger, type MessagingLogger } from './messaging.logger';
import { toConnectionOptions, type ConnectNatsOptions } from './nats-client.config';

/**
 * One NATS connection with its JetStream client. Services inject it; readiness checks
 * ask `isConnected()`, which is false while the client is between reconnects.
 */
export class NatsClient {
  readonly jetstream: JetStreamClient;
  private managerPromise: Promise<JetStreamManager> | undefined;
  private linkUp = true;
  private drainPromise: Promise<void> | undefined;

  constructor(
    readonly connection: NatsConnection,
    private readonly logger: MessagingLogger = silentLogger,
  ) {
    this.jetstream = jetstream(connection);
    void this.watchStatus();
  }

  static async connect(opts: ConnectNatsOptions & { logger?: MessagingLogger }): Promise<NatsClient> {
    return new NatsClient(await connectNats(opts), opts.logger);
  }

  manager(): Promise<JetStreamManager> {
    this.managerPromise ??= jetstreamManager(this.connection);
    return this.managerPromise;
  }

  isConnected(): boolean {
    return this.linkUp && !this.connection.isClosed() && !this.connection.isDraining();
  }

  /** Flushes pending publishes and acks, lets subscriptions finish, then closes. Idempotent. */
  drain(): Promise<void> {
    if (this.connection.isClosed()) return Promise.resolve();
    this.drainPromise ??= this.connection.drain();
    return this.drainPromise;
  }

  private async watchStatus(): Promise<void> {
    for await (const s of this.connection.status()) {
      if (s.type === 'disconnect') {
        this.linkUp = false;
        this.logger.warn({ server: s.server }, 'nats disconnected');
      } else if (s.type === 'reconnect') {
        this.linkUp = true;
        this.logger.info({ server: s.server }, 'nats reconnected');
      }
    }
  }
}

export async function connectNats(opts: ConnectNatsOptions): Promise<NatsConnection> {
  try {
    return await connect(toConnectionOptions(opts));
  } catch (cause) {
    throw new MessagingError({
      code: MessagingErrorCode.ConnectFailed,
      message: `cannot connect to NATS at ${String(opts.servers)}`,
      kind: 'unavailable',
      details: { servers: opts.servers, name: opts.name },
      cause,
    });
  }
}
