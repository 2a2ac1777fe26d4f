import { resolveConsumerConfig } from './jetstream.config';

describe('resolveConsumerConfig', () => {
  const connection = { servers: 'nats://unused:4222', name: 'spec' };

  it('layers defaults < decorator extras < per-pattern options, filtering on the pattern', () => {
    const cfg = resolveConsumerConfig({
      pattern: 'flows.nsl-kdd',
      extras: { stream: 'FLOWS', durable: 'detection', batchSize: 32 },
      options: { connection, defaults: { maxDeliver: 7, batchSize: 8 }, consumers: { 'flows.nsl-kdd': { ackWaitMs: 60_000 } } },
    });
    expect(cfg).toMatchObject({ stream: 'FLOWS', durable: 'detection', filterSubject: 'flows.nsl-kdd', batchSize: 32, maxDeliver: 7, ackWaitMs: 60_000, expiresMs: 1_000 });
  });

  it('refuses a pattern without a stream or durable, naming the pattern', () => {
    expect(() => resolveConsumerConfig({ pattern: 'flows.x', extras: undefined, options: { connection } })).toThrow(
      expect.objectContaining({ code: 'MESSAGING.CONSUMER_CONFIG_INVALID', details: { pattern: 'flows.x' } }),
    );
  });
});
