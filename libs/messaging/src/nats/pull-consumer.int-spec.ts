import { publishBatch } from './batch-publish.service';
import { Poison } from './delivery-outcome.errors';
import { type NatsClient } from './nats-client.service';
import { connectTestClient, createTestStreams, expectEventually, type TestStreams } from './nats-test.fixture';
import { startPullConsumer, type Delivery, type PullConsumerHandle } from './pull-consumer.service';
import { ensureDurableConsumer } from './stream-setup.service';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const text = (b: Uint8Array): string => new TextDecoder().decode(b);

describe('pull consumer (real NATS)', () => {
  let client: NatsClient;
  let t: TestStreams;
  const handles: PullConsumerHandle[] = [];

  const consumer = async (opts: { durable?: string; ackWaitMs?: number; maxDeliver?: number } = {}): Promise<string> => {
    const durable = opts.durable ?? 'worker';
    await ensureDurableConsumer(await client.manager(), {
      stream: t.stream,
      durable,
      filterSubject: t.subject,
      ackWaitMs: opts.ackWaitMs ?? 5_000,
      maxDeliver: opts.maxDeliver ?? 5,
    });
    return durable;
  };
  const start = async (durable: string, handler: (d: Delivery) => Promise<unknown>, concurrency?: number): Promise<PullConsumerHandle> => {
    const h = await startPullConsumer({
      js: client.jetstream, stream: t.stream, durable, handler, batchSize: 16, backoffMs: () => 50, deadLetterSubject: `${t.dlqRoot}.${durable}`, concurrency,
    });
    handles.push(h);
    return h;
  };
  const publish = (i: number, extra: { correlationId?: string; headers?: Record<string, string> } = {}) =>
    publishBatch(client.jetstream, { subject: t.subject, payload: bytes(`batch-${i}`), msgId: `m-${i}`, ...extra });

  beforeAll(async () => {
    client = await connectTestClient();
  });
  beforeEach(async () => {
    t = await createTestStreams(client, 'PULL');
  });
  afterEach(async () => {
    await Promise.all(handles.splice(0).map((h) => h.stop()));
    await t.cleanup();
  });
  afterAll(async () => {
    await client.drain();
  });

  it.each([1, 3])('handles at most %i message(s) at once, each acked once when its handler resolves', async (concurrency) => {
    const durable = await consumer();
    for (let i = 0; i < 6; i++) await publish(i);
    let busy = 0;
    let peak = 0;
    const seen: string[] = [];
    const handle = await start(durable, async (d) => {
      busy++;
      peak = Math.max(peak, busy);
      // Long enough that every message the limit allows is in a handler at the same time.
      await new Promise((r) => setTimeout(r, 150));
      seen.push(text(d.data));
      busy--;
    }, concurrency);
    await expectEventually(() => expect(handle.stats().acked).toBe(6));
    expect(peak).toBe(concurrency);
    expect(seen.sort()).toEqual(Array.from({ length: 6 }, (_, i) => `batch-${i}`).sort());
    const info = await (await client.manager()).consumers.info(t.stream, durable);
    expect(info.num_ack_pending + info.num_pending).toBe(0);
  });

  it('redelivers a message whose consumer died before acking', async () => {
    const durable = await consumer({ ackWaitMs: 1_000 });
    await publish(1, { correlationId: 'corr-crash' });
    const doomed = await connectTestClient('doomed-worker');
    const fetched = await doomed.jetstream.consumers.get(t.stream, durable).then((c) => c.fetch({ max_messages: 1, expires: 2_000 }));
    for await (const m of fetched) expect(text(m.data)).toBe('batch-1');
    await doomed.connection.close();

    const seen: Delivery[] = [];
    await start(durable, async (d) => void seen.push(d));
    await expectEventually(() => expect(seen).toHaveLength(1));
    expect(seen[0]).toMatchObject({ deliveryCount: 2, correlationId: 'corr-crash' });
    expect(text(seen[0]!.data)).toBe('batch-1');
  });

  it('dead-letters a message after maxDeliver failures, keeping payload and headers', async () => {
    const durable = await consumer({ maxDeliver: 3 });
    await publish(7, { correlationId: 'corr-dlq', headers: { 'Vigil-Contract': 'nsl-kdd' } });
    let attempts = 0;
    const h = await start(durable, async () => {
      attempts += 1;
      throw new Error('model not loaded');
    });
    const dlq = await client.jetstream.consumers.get(t.dlqStream);
    const letter = await expectDeadLetter(dlq);
    expect(attempts).toBe(3);
    expect(text(letter.data)).toBe('batch-7');
    expect(letter.subject).toBe(`${t.dlqRoot}.${durable}`);
    expect(headerMap(letter.headers)).toMatchObject({
      'Vigil-Correlation-Id': 'corr-dlq',
      'Vigil-Contract': 'nsl-kdd',
      'Vigil-Dlq-Reason': 'max-deliver',
      'Vigil-Dlq-Error-Code': 'Error',
      'Vigil-Dlq-Error-Message': 'model not loaded',
      'Vigil-Dlq-Original-Subject': t.subject,
      'Vigil-Dlq-Original-Msg-Id': 'm-7',
      'Vigil-Dlq-Stream-Seq': '1',
      'Vigil-Dlq-Delivery-Count': '3',
    });
    expect(h.stats()).toEqual({ acked: 0, nakked: 2, deadLettered: 1 });
    await expectEventually(async () => expect((await (await client.manager()).consumers.info(t.stream, durable)).num_ack_pending).toBe(0), { timeoutMs: 2_000 });
  });

  it('dead-letters Poison on the first delivery', async () => {
    const durable = await consumer();
    await publish(3);
    await start(durable, () => Promise.reject(new Poison('not a packed batch', { code: 'CONTRACT.BAD_BATCH' })));
    const letter = await expectDeadLetter(await client.jetstream.consumers.get(t.dlqStream));
    expect(headerMap(letter.headers)).toMatchObject({ 'Vigil-Dlq-Reason': 'poison', 'Vigil-Dlq-Error-Code': 'CONTRACT.BAD_BATCH', 'Vigil-Dlq-Delivery-Count': '1' });
    await expectEventually(async () => expect((await (await client.manager()).consumers.info(t.stream, durable)).num_ack_pending).toBe(0), { timeoutMs: 2_000 });
  });

  it('shares one durable between two consumers, each message processed exactly once', async () => {
    const durable = await consumer();
    const byWorker: Record<'a' | 'b', string[]> = { a: [], b: [] };
    // A little work per message lets the second worker's pulls interleave with the first's.
    const work = (who: 'a' | 'b') => async (d: Delivery) => {
      byWorker[who].push(text(d.data));
      await new Promise((r) => setImmediate(r));
    };
    await start(durable, work('a'));
    await start(durable, work('b'));
    for (let i = 0; i < 200; i++) await publish(i);
    await expectEventually(() => expect(byWorker.a.length + byWorker.b.length).toBe(200));
    const all = [...byWorker.a, ...byWorker.b];
    expect(new Set(all).size).toBe(200);
    expect(byWorker.a.length).toBeGreaterThan(0);
    expect(byWorker.b.length).toBeGreaterThan(0);
  });

  it('stop() lets the in-flight handler finish and acks it before resolving', async () => {
    const durable = await consumer();
    let release: () => void = () => undefined;
    let started = false;
    const h = await start(durable, async () => {
      started = true;
      await new Promise<void>((r) => (release = r));
    });
    await publish(1);
    await expectEventually(() => expect(started).toBe(true));
    const stopped = h.stop();
    setTimeout(() => release(), 200);
    await stopped;
    expect(h.stats().acked).toBe(1);
    const info = await (await client.manager()).consumers.info(t.stream, durable);
    expect(info.num_ack_pending).toBe(0);
    expect(info.num_pending).toBe(0);
  });
});

async function expectDeadLetter(dlq: { fetch(o: { max_messages: number; expires: number }): Promise<AsyncIterable<import('@nats-io/jetstream').JsMsg>> }) {
  let found: import('@nats-io/jetstream').JsMsg | undefined;
  await expectEventually(async () => {
    for await (const m of await dlq.fetch({ max_messages: 1, expires: 1_000 })) {
      found = m;
      m.ack();
    }
    expect(found).toBeDefined();
  });
  return found!;
}

function headerMap(h: import('@nats-io/nats-core').MsgHdrs | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of h?.keys() ?? []) out[k] = h!.get(k);
  return out;
}
