import { Server, type CustomTransportStrategy, type MessageHandler } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import { resolveConsumerConfig, type JetStreamServerOptions } from './jetstream.config';
import { JetStreamContext, NatsRequestContext, type VigilRpcContext } from './jetstream.context';
import { NatsClient } from './nats/nats-client.service';
import { silentLogger, type MessagingLogger } from './nats/messaging.logger';
import { startPullConsumer, type Delivery, type PullConsumerHandle } from './nats/pull-consumer.service';
import { serveRequests, type ReplyServer, type RequestContext } from './nats/request-reply.service';
import { ensureDurableConsumer, ensureStream } from './nats/stream-setup.service';

export const JETSTREAM_TRANSPORT = Symbol('vigil-jetstream');

/**
 * Nest transport over NATS: `@EventPattern` handlers run on durable JetStream pull
 * consumers (resolve = ack; RetryLater = nak with its delay; Poison or the last failed
 * delivery = dead letter; anything else = nak with backoff), `@MessagePattern` handlers
 * answer core NATS requests in a queue group with `{data}` or `{error}` replies.
 */
export class JetStreamServer extends Server implements CustomTransportStrategy {
  override readonly transportId = JETSTREAM_TRANSPORT;
  private client: NatsClient | undefined;
  private ownsClient = false;
  private consumers: PullConsumerHandle[] = [];
  private replies: ReplyServer[] = [];
  private readonly log: MessagingLogger;

  constructor(private readonly options: JetStreamServerOptions) {
    super();
    this.log = options.logger ?? silentLogger;
  }

  async listen(callback: (err?: unknown) => void): Promise<void> {
    try {
      await this.start();
      this._status$.next('connected');
      callback();
    } catch (err) {
      // Consumers bound before the failure must not keep pulling for a server that never started.
      await this.close().catch(() => undefined);
      callback(err);
    }
  }

  /** Stops pulling, lets in-flight handlers finish and settle, then drains an owned connection. */
  async close(): Promise<void> {
    const consumers = this.consumers.splice(0);
    const replies = this.replies.splice(0);
    await Promise.all([...consumers.map((c) => c.stop()), ...replies.map((r) => r.stop())]);
    if (this.client && this.ownsClient) await this.client.drain();
    this.client = undefined;
    this._status$.next('disconnected');
  }

  on(): never {
    throw new Error('JetStreamServer has no events; watch NatsClient.isConnected() instead');
  }

  unwrap<T>(): T {
    if (!this.client) throw new Error('JetStreamServer is not listening');
    return this.client.connection as T;
  }

  private async start(): Promise<void> {
    const { connection } = this.options;
    this.ownsClient = !(connection instanceof NatsClient);
    const client = connection instanceof NatsClient ? connection : await NatsClient.connect({ ...connection, logger: this.log });
    this.client = client;
    const jsm = await client.manager();
    for (const stream of this.options.streams ?? []) await ensureStream(jsm, stream);
    for (const [pattern, handler] of this.messageHandlers) {
      if (handler.isEventHandler) this.consumers.push(await this.bindEvent(client, pattern, handler));
      else this.replies.push(this.bindRequest(client, pattern, handler));
    }
    // Listening means the server knows our subscriptions; a request sent right after must find them.
    await client.connection.flush();
  }

  private async bindEvent(client: NatsClient, pattern: string, handler: MessageHandler): Promise<PullConsumerHandle> {
    const cfg = resolveConsumerConfig({ pattern, extras: handler.extras, options: this.options });
    await ensureDurableConsumer(await client.manager(), cfg);
    this.log.info({ pattern, stream: cfg.stream, durable: cfg.durable }, 'jetstream consumer bound');
    return startPullConsumer({
      js: client.jetstream,
      stream: cfg.stream,
      durable: cfg.durable,
      batchSize: cfg.batchSize,
      expiresMs: cfg.expiresMs,
      deadLetterSubject: cfg.deadLetterSubject,
      confirmAcks: cfg.confirmAcks,
      backoffMs: cfg.backoffMs,
      logger: this.log,
      handler: (delivery: Delivery) => this.invoke(handler, delivery.data, new JetStreamContext([delivery])),
    });
  }

  private bindRequest(client: NatsClient, pattern: string, handler: MessageHandler): ReplyServer {
    this.log.info({ pattern, queue: this.options.queue }, 'nats request handler bound');
    return serveRequests(client.connection, {
      subject: pattern,
      queue: this.options.queue,
      logger: this.log,
      handler: (payload: unknown, req: RequestContext) => this.invoke(handler, payload, new NatsRequestContext([req])),
    });
  }

  /** Runs the Nest handler chain and rethrows the handler's own error, if it threw one. */
  private async invoke(handler: MessageHandler, data: unknown, ctx: VigilRpcContext<unknown[]>): Promise<unknown> {
    let result: unknown;
    try {
      result = await lastValueFrom(this.transformToObservable(await handler(data, ctx)), { defaultValue: undefined });
    } catch (err) {
      throw ctx.getFailure()?.error ?? err;
    }
    const failure = ctx.getFailure();
    if (failure) throw failure.error;
    return result;
  }
}
