import { PublishWindow, publishBatch } from './batch-publish.service';
import { type NatsClient } from './nats-client.service';
import { connectTestClient, createTestStreams, type TestStreams } from './nats-test.fixture';

describe('batch publish (real NATS)', () => {
  let client: NatsClient;
  let t: TestStreams;

  beforeAll(async () => {
    client = await connectTestClient();
  });
  beforeEach(async () => {
    t = await createTestStreams(client, 'PUB');
  });
  afterEach(async () => {
    await t.cleanup();
  });
  afterAll(async () => {
    await client.drain();
  });

  it('stores a repeated Nats-Msg-Id once inside the duplicate window', async () => {
    const msg = { subject: t.subject, payload: new Uint8Array([1, 2, 3]), msgId: 'batch-0001', correlationId: 'corr-1' };
    const first = await publishBatch(client.jetstream, msg);
    const second = await publishBatch(client.jetstream, msg);
    expect(first).toMatchObject({ stream: t.stream, duplicate: false });
    expect(second).toEqual({ stream: t.stream, seq: first.seq, duplicate: true });
    const info = await (await client.manager()).streams.info(t.stream);
    expect(info.state.messages).toBe(1);
    const stored = await (await client.manager()).streams.getMessage(t.stream, { seq: first.seq });
    expect(stored?.header.get('Vigil-Correlation-Id')).toBe('corr-1');
  });

  it('keeps a bounded window in flight and reports every ack on flush', async () => {
    const window = new PublishWindow(client.jetstream, { maxInFlight: 8 });
    let peak = 0;
    for (let i = 0; i < 100; i++) {
      await window.publish({ subject: t.subject, payload: new Uint8Array(16), msgId: `b-${i % 90}` });
      peak = Math.max(peak, window.inFlight);
    }
    await expect(window.flush()).resolves.toEqual({ published: 100, duplicates: 10 });
    expect(peak).toBeLessThanOrEqual(8);
    const info = await (await client.manager()).streams.info(t.stream);
    expect(info.state.messages).toBe(90);
  });

  it('flush names the batches that were not stored', async () => {
    const window = new PublishWindow(client.jetstream, { maxInFlight: 4, timeoutMs: 1_000 });
    await window.publish({ subject: `nostream.${t.stream}`, payload: new Uint8Array(1), msgId: 'lost-1' });
    await expect(window.flush()).rejects.toMatchObject({ code: 'MESSAGING.PUBLISH_FAILED', details: { failedMsgIds: ['lost-1'] } });
  });
});
