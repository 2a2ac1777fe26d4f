import { VigilError } from '@vigil/errors';
import { type NatsClient } from './nats-client.service';
import { connectTestClient, uniqueName } from './nats-test.fixture';
import { request, serveRequests } from './request-reply.service';

describe('request / reply (real NATS)', () => {
  let client: NatsClient;
  let subject: string;

  beforeAll(async () => {
    client = await connectTestClient();
  });
  beforeEach(() => {
    subject = `${uniqueName('rr')}.query`;
  });
  afterAll(async () => {
    await client.drain();
  });

  it('returns the typed reply and carries the correlation id both ways', async () => {
    const seen: (string | undefined)[] = [];
    const sub = serveRequests(client.connection, {
      subject,
      queue: 'svc',
      handler: async (payload, ctx) => {
        seen.push(ctx.correlationId);
        return { doubled: (payload as { n: number }).n * 2 };
      },
    });
    const reply = await request(client.connection, {
      subject,
      payload: { n: 21 },
      timeoutMs: 2_000,
      correlationId: 'corr-rr',
      parse: (d) => d as { doubled: number },
    });
    expect(reply).toEqual({ doubled: 42 });
    expect(seen).toEqual(['corr-rr']);
    await sub.stop();
  });

  it('rebuilds a VigilError thrown by the responder with its code and details', async () => {
    const sub = serveRequests(client.connection, {
      subject,
      handler: () => Promise.reject(new VigilError({ code: 'REGISTRY.MODEL_NOT_FOUND', message: 'no model rf-1', kind: 'not-found', details: { name: 'rf-1' } })),
    });
    const err: unknown = await request(client.connection, { subject, payload: {}, timeoutMs: 2_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VigilError);
    expect(err).toMatchObject({ code: 'REGISTRY.MODEL_NOT_FOUND', kind: 'not-found', message: 'no model rf-1', details: { name: 'rf-1', subject } });
    await sub.stop();
  });

  it('hides an unexpected error behind MESSAGING.INTERNAL with the correlation id', async () => {
    const sub = serveRequests(client.connection, { subject, handler: () => Promise.reject(new TypeError('x is undefined')) });
    await expect(request(client.connection, { subject, payload: {}, timeoutMs: 2_000, correlationId: 'c-9' })).rejects.toMatchObject({
      code: 'MESSAGING.INTERNAL',
      message: 'internal error',
      details: { correlationId: 'c-9' },
    });
    await sub.stop();
  });

  it('fails with MESSAGING.NO_RESPONDERS when nothing listens', async () => {
    await expect(request(client.connection, { subject, payload: {}, timeoutMs: 2_000 })).rejects.toMatchObject({ code: 'MESSAGING.NO_RESPONDERS' });
  });

  it('fails with MESSAGING.TIMEOUT when the responder is too slow', async () => {
    const sub = client.connection.subscribe(subject, { callback: () => undefined });
    const started = Date.now();
    await expect(request(client.connection, { subject, payload: {}, timeoutMs: 200 })).rejects.toMatchObject({ code: 'MESSAGING.TIMEOUT', kind: 'unavailable' });
    expect(Date.now() - started).toBeLessThan(1_500);
    sub.unsubscribe();
  });
});
