import { type JetStreamManager } from '@nats-io/jetstream';
import { type NatsClient } from './nats-client.service';
import { connectTestClient, uniqueName } from './nats-test.fixture';
import { ensureDurableConsumer, ensureStream } from './stream-setup.service';

describe('ensureStream / ensureDurableConsumer (real NATS)', () => {
  let client: NatsClient;
  let jsm: JetStreamManager;
  let stream: string;

  beforeAll(async () => {
    client = await connectTestClient();
    jsm = await client.manager();
  });
  beforeEach(() => {
    stream = uniqueName('SETUP');
  });
  afterEach(async () => {
    await jsm.streams.delete(stream).catch(() => false);
  });
  afterAll(async () => {
    await client.drain();
  });

  it('creates a stream, accepts the same config again, and updates a changed one', async () => {
    const opts = { name: stream, subjects: [`${stream}.>`], duplicateWindowMs: 60_000, maxAgeMs: 3_600_000 };
    await ensureStream(jsm, opts);
    await expect(ensureStream(jsm, opts)).resolves.toMatchObject({ config: { name: stream } });
    const updated = await ensureStream(jsm, { ...opts, duplicateWindowMs: 30_000 });
    expect(updated.config.duplicate_window).toBe(30_000 * 1e6);
  });

  it('fails with a coded conflict when the server refuses the change', async () => {
    await ensureStream(jsm, { name: stream, subjects: [`${stream}.>`] });
    await expect(ensureStream(jsm, { name: stream, subjects: [`${stream}.>`], storage: 'memory' })).rejects.toMatchObject({
      code: 'MESSAGING.STREAM_CONFIG_CONFLICT',
    });
  });

  it('creates a durable consumer, accepts it again, and updates ackWait in place', async () => {
    await ensureStream(jsm, { name: stream, subjects: [`${stream}.>`] });
    const opts = { stream, durable: 'worker', filterSubject: `${stream}.a`, ackWaitMs: 5_000, maxDeliver: 4 };
    await ensureDurableConsumer(jsm, opts);
    await expect(ensureDurableConsumer(jsm, opts)).resolves.toMatchObject({ name: 'worker' });
    const updated = await ensureDurableConsumer(jsm, { ...opts, ackWaitMs: 7_000 });
    expect(updated.config).toMatchObject({ ack_wait: 7_000 * 1e6, max_deliver: 4, filter_subject: `${stream}.a` });
  });
});
