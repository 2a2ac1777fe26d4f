import { applyDecorators, UseInterceptors } from '@nestjs/common';
import { EventPattern, MessagePattern } from '@nestjs/microservices';
import { type EventConsumerConfig } from './jetstream.config';
import { MessagingOutcomeInterceptor } from './messaging-outcome.interceptor';

/**
 * `@EventPattern` bound to a durable pull consumer, with the outcome interceptor applied
 * so a thrown RetryLater/Poison steers the ack even where no global interceptor is set
 * (a hybrid app that does not inherit the app config).
 */
export function JetStreamEvent(subject: string, config: Partial<EventConsumerConfig> = {}): MethodDecorator {
  return applyDecorators(EventPattern(subject, config), UseInterceptors(MessagingOutcomeInterceptor));
}

/** `@MessagePattern` on core request/reply whose VigilErrors reach the caller with their code. */
export function NatsRequest(subject: string): MethodDecorator {
  return applyDecorators(MessagePattern(subject), UseInterceptors(MessagingOutcomeInterceptor));
}
