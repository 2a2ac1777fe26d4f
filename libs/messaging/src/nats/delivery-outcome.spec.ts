import { VigilError } from '@vigil/errors';
import { Poison, RetryLater } from './delivery-outcome.errors';
import { decideOutcome, defaultBackoffMs } from './delivery-outcome.service';

describe('decideOutcome', () => {
  const base = { deliveryCount: 1, maxDeliver: 5 };

  it('acks a handler that resolved', () => {
    expect(decideOutcome({ ...base, error: undefined, failed: false })).toEqual({ kind: 'ack' });
  });

  it('naks an unknown failure with a growing backoff', () => {
    expect(decideOutcome({ ...base, error: new Error('db down'), failed: true })).toEqual({ kind: 'nak', delayMs: 500 });
    expect(decideOutcome({ ...base, deliveryCount: 3, error: new Error('db down'), failed: true })).toEqual({ kind: 'nak', delayMs: 2_000 });
    expect(defaultBackoffMs(50)).toBe(30_000);
  });

  it('naks RetryLater with the delay the handler asked for', () => {
    expect(decideOutcome({ ...base, error: new RetryLater(1_234), failed: true })).toEqual({ kind: 'nak', delayMs: 1_234 });
  });

  it('dead-letters Poison at once, with its code', () => {
    const outcome = decideOutcome({ ...base, error: new Poison('not a batch', { code: 'CONTRACT.BAD_BATCH' }), failed: true });
    expect(outcome).toEqual({ kind: 'dead-letter', reason: 'poison', errorCode: 'CONTRACT.BAD_BATCH', errorMessage: 'not a batch' });
  });

  it('treats an invalid-input VigilError as poison', () => {
    const err = new VigilError({ code: 'CONTRACT.UNKNOWN_FEATURE', message: 'bad', kind: 'invalid-input' });
    expect(decideOutcome({ ...base, error: err, failed: true })).toMatchObject({ kind: 'dead-letter', reason: 'poison' });
  });

  it('dead-letters any failure on the last allowed delivery, even RetryLater', () => {
    expect(decideOutcome({ deliveryCount: 5, maxDeliver: 5, error: new RetryLater(10), failed: true })).toMatchObject({
      kind: 'dead-letter',
      reason: 'max-deliver',
      errorCode: 'MESSAGING.RETRY_LATER',
    });
  });

  it('never dead-letters for max-deliver when the consumer has no limit', () => {
    expect(decideOutcome({ deliveryCount: 99, maxDeliver: -1, error: 'boom', failed: true })).toEqual({ kind: 'nak', delayMs: 30_000 });
  });
});
