// Connection
export { NatsClient, connectNats } from './nats/nats-client.service';
export { type ConnectNatsOptions } from './nats/nats-client.config';
export { type MessagingLogger, silentLogger } from './nats/messaging.logger';
// Errors and headers
export { MessagingError, MessagingErrorCode, RemoteError } from './nats/messaging.errors';
export { RetryLater, Poison } from './nats/delivery-outcome.errors';
export { MessagingHeader, buildHeaders, correlationIdOf, headersToMap, type HeaderMap } from './nats/messaging.headers';
// Streams and consumers
export { ensureStream, ensureDurableConsumer, type EnsureStreamOptions, type EnsureConsumerOptions } from './nats/stream-setup.service';
// Publishing
export { publishBatch, PublishWindow, type BatchMessage, type PublishResult, type PublishWindowSummary } from './nats/batch-publish.service';
// Consuming
export {
  startPullConsumer,
  type Delivery,
  type DeliveryHandler,
  type PullConsumerOptions,
  type PullConsumerHandle,
  type PullConsumerStats,
} from './nats/pull-consumer.service';
export { decideOutcome, defaultBackoffMs, type DeliveryOutcome } from './nats/delivery-outcome.service';
export { deadLetterSubject, publishDeadLetter, type DeadLetter } from './nats/dead-letter.service';
export { listDeadLetters, replayDeadLetter, type DeadLetterEntry } from './nats/dead-letter.replay';
// Request / reply
export {
  request,
  serveRequests,
  type RequestOptions,
  type ReplyOptions,
  type ReplyServer,
  type ReplyEnvelope,
  type RequestContext,
} from './nats/request-reply.service';
// NestJS
export { MessagingModule, type MessagingModuleOptions } from './messaging.module';
export { JetStreamServer, JETSTREAM_TRANSPORT } from './jetstream.server';
export { type JetStreamServerOptions, type EventConsumerConfig } from './jetstream.config';
export { JetStreamContext, NatsRequestContext, VigilRpcContext } from './jetstream.context';
export { MessagingOutcomeInterceptor } from './messaging-outcome.interceptor';
export { JetStreamEvent, NatsRequest } from './messaging.decorators';
