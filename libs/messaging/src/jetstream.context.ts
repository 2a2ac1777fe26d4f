import { BaseRpcContext } from '@nestjs/microservices';
import { type JsMsg } from '@nats-io/jetstream';
import { type MsgHdrs } from '@nats-io/nats-core';
import { type Delivery } from './nats/pull-consumer.service';
import { type RequestContext } from './nats/request-reply.service';

/**
 * Base of the contexts this transport hands to handlers. Nest's exception filters turn
 * a thrown error into a generic one; the outcome interceptor parks the original here so
 * the transport can tell RetryLater from Poison and reply with a VigilError's code.
 */
export abstract class VigilRpcContext<T extends unknown[]> extends BaseRpcContext<T> {
  private failure: { error: unknown } | undefined;

  recordFailure(error: unknown): void {
    this.failure = { error };
  }

  getFailure(): { error: unknown } | undefined {
    return this.failure;
  }
}

/** Context of an `@EventPattern` handler: one JetStream message (itself a batch of records). */
export class JetStreamContext extends VigilRpcContext<[Delivery]> {
  getDelivery(): Delivery {
    return this.args[0];
  }

  getMessage(): JsMsg {
    return this.args[0].message;
  }

  getSubject(): string {
    return this.args[0].subject;
  }

  getHeaders(): MsgHdrs | undefined {
    return this.args[0].headers;
  }

  getHeader(name: string): string | undefined {
    return this.args[0].headers?.get(name) || undefined;
  }

  getCorrelationId(): string | undefined {
    return this.args[0].correlationId;
  }

  getDeliveryCount(): number {
    return this.args[0].deliveryCount;
  }

  getStreamSequence(): number {
    return this.args[0].streamSequence;
  }

  /** For work longer than the ack wait; the transport already beats every ackWait/3. */
  working(): void {
    this.args[0].working();
  }
}

/** Context of a `@MessagePattern` handler: one core NATS request. */
export class NatsRequestContext extends VigilRpcContext<[RequestContext]> {
  getSubject(): string {
    return this.args[0].subject;
  }

  getCorrelationId(): string | undefined {
    return this.args[0].correlationId;
  }

  getHeaders(): MsgHdrs | undefined {
    return this.args[0].msg.headers;
  }
}
