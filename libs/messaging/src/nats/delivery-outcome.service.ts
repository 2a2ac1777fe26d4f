import { isVigilError } from '@vigil/errors';
import { Poison, RetryLater } from './delivery-outcome.errors';

export type DeliveryOutcome =
  | { kind: 'ack' }
  | { kind: 'nak'; delayMs: number }
  | { kind: 'dead-letter'; reason: 'poison' | 'max-deliver'; errorCode: string; errorMessage: string };

/** Delay before redelivery n+1 after n failed deliveries: 0.5 s doubling, capped at 30 s. */
export function defaultBackoffMs(deliveryCount: number): number {
  return Math.min(500 * 2 ** Math.max(0, deliveryCount - 1), 30_000);
}

/**
 * What to do with a delivery given how its handler ended. A VigilError of kind
 * `invalid-input` is treated as poison: the same bytes will fail the same way, so
 * retrying only delays the dead letter. The last allowed delivery is dead-lettered
 * whatever the failure, because the server will not deliver it again.
 */
export function decideOutcome(args: {
  error: unknown;
  failed: boolean;
  deliveryCount: number;
  maxDeliver: number;
  backoffMs?: (deliveryCount: number) => number;
}): DeliveryOutcome {
  if (!args.failed) return { kind: 'ack' };
  const { errorCode, errorMessage } = describe(args.error);
  if (args.error instanceof Poison || (isVigilError(args.error) && args.error.kind === 'invalid-input')) {
    return { kind: 'dead-letter', reason: 'poison', errorCode, errorMessage };
  }
  if (args.maxDeliver > 0 && args.deliveryCount >= args.maxDeliver) {
    return { kind: 'dead-letter', reason: 'max-deliver', errorCode, errorMessage };
  }
  if (args.error instanceof RetryLater) return { kind: 'nak', delayMs: args.error.delayMs };
  return { kind: 'nak', delayMs: (args.backoffMs ?? defaultBackoffMs)(args.deliveryCount) };
}

function describe(error: unknown): { errorCode: string; errorMessage: string } {
  if (isVigilError(error)) return { errorCode: error.code, errorMessage: error.message };
  if (error instanceof Error) return { errorCode: error.name || 'Error', errorMessage: error.message };
  const message = typeof error === 'object' && error !== null && 'message' in error ? String(error.message) : String(error);
  return { errorCode: 'UNKNOWN', errorMessage: message };
}
