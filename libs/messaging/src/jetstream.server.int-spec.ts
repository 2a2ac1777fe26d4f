import { Controller, type INestMicroservice } from '@nestjs/common';
import { Ctx, EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { VigilError } from '@vigil/errors';
import { JetStreamContext, NatsRequestContext } from './jetstream.context';
import { JetStreamServer } from './jetstream.server';
import { JetStreamEvent } from './messaging.decorators';
import { MessagingModule } from './messaging.module';
import { publishBatch } from './nats/batch-publish.service';
import { Poison, RetryLater } from './nats/delivery-outcome.errors';
import { NatsClient } from './nats/nats-client.service';
import { connectTestClient, createTestStreams, expectEventually, TEST_NATS_SERVERS, type TestStreams } from './nats/nats-test.fixture';
import { request } from './nats/request-reply.service';

const text = (b: Uint8Array): string => new TextDecoder().decode(b);
const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

interface Seen {
  body: string;
  correlationId: string | undefined;
  deliveryCount: number;
}

/** A controller whose subjects are only known once the test has picked unique names. */
function flowsController(t: TestStreams, seen: Seen[], gate: { wait?: Promise<void> }) {
  @Controller()
  class FlowsController {
    @EventPattern(`${t.subject}.ok`, { stream: t.stream, durable: 'ok' })
    async onBatch(@Payload() data: Uint8Array, @Ctx() ctx: JetStreamContext): Promise<void> {
      await gate.wait;
      seen.push({ body: text(data), correlationId: ctx.getCorrelationId(), deliveryCount: ctx.getDeliveryCount() });
    }

    @EventPattern(`${t.subject}.poison`, { stream: t.stream, durable: 'poison', deadLetterSubject: `${t.dlqRoot}.poison` })
    onPoison(): void {
      throw new Poison('cannot decode batch', { code: 'CONTRACT.BAD_BATCH' });
    }

    @JetStreamEvent(`${t.subject}.flaky`, { stream: t.stream, durable: 'flaky' })
    onFlaky(@Payload() data: Uint8Array, @Ctx() ctx: JetStreamContext): void {
      if (ctx.getDeliveryCount() === 1) throw new RetryLater(50);
      seen.push({ body: text(data), correlationId: ctx.getCorrelationId(), deliveryCount: ctx.getDeliveryCount() });
    }

    @MessagePattern(`rpc.${t.stream}.double`)
    double(@Payload() body: { n: number }, @Ctx() ctx: NatsRequestContext): { doubled: number; correlationId?: string } {
      return { doubled: body.n * 2, correlationId: ctx.getCorrelationId() };
    }

    @MessagePattern(`rpc.${t.stream}.missing`)
    missing(): never {
      throw new VigilError({ code: 'REGISTRY.MODEL_NOT_FOUND', message: 'no such model', kind: 'not-found' });
    }
  }
  return FlowsController;
}

describe('JetStreamServer in a Nest app (real NATS)', () => {
  let probe: NatsClient;
  let t: TestStreams;
  let app: INestMicroservice | undefined;
  const seen: Seen[] = [];
  const gate: { wait?: Promise<void> } = {};

  const startApp = async (): Promise<INestMicroservice> => {
    const moduleRef = await Test.createTestingModule({
      imports: [MessagingModule.forRoot({ servers: TEST_NATS_SERVERS, name: 'jetstream-server-test' })],
      controllers: [flowsController(t, seen, gate)],
    }).compile();
    const strategy = new JetStreamServer({
      connection: moduleRef.get(NatsClient),
      defaults: { ackWaitMs: 5_000, maxDeliver: 3, backoffMs: () => 50 },
      queue: 'test-service',
    });
    const microservice = moduleRef.createNestMicroservice({ strategy });
    await microservice.listen();
    return microservice;
  };
  const pending = async (durable: string) => {
    const info = await (await probe.manager()).consumers.info(t.stream, durable);
    return { ackPending: info.num_ack_pending, pending: info.num_pending };
  };

  beforeAll(async () => {
    probe = await connectTestClient('jetstream-server-probe');
  });
  beforeEach(async () => {
    t = await createTestStreams(probe, 'NEST');
    seen.length = 0;
    gate.wait = undefined;
    app = await startApp();
  });
  afterEach(async () => {
    await app?.close();
    await t.cleanup();
  });
  afterAll(async () => {
    await probe.drain();
  });

  it('hands an @EventPattern handler the message and its context, then acks it', async () => {
    await publishBatch(probe.jetstream, { subject: `${t.subject}.ok`, payload: bytes('flows-1'), msgId: 'b1', correlationId: 'corr-nest' });
    await expectEventually(() => expect(seen).toEqual([{ body: 'flows-1', correlationId: 'corr-nest', deliveryCount: 1 }]));
    await expectEventually(async () => expect(await pending('ok')).toEqual({ ackPending: 0, pending: 0 }), { timeoutMs: 2_000 });
  });

  it('sends a thrown Poison to the dead-letter subject and terminates it', async () => {
    await publishBatch(probe.jetstream, { subject: `${t.subject}.poison`, payload: bytes('garbage'), msgId: 'p1' });
    const dlq = await probe.jetstream.consumers.get(t.dlqStream);
    let letter: { subject: string; body: string; reason?: string; code?: string } | undefined;
    await expectEventually(async () => {
      for await (const m of await dlq.fetch({ max_messages: 1, expires: 1_000 })) {
        letter = { subject: m.subject, body: text(m.data), reason: m.headers?.get('Vigil-Dlq-Reason'), code: m.headers?.get('Vigil-Dlq-Error-Code') };
      }
      expect(letter).toBeDefined();
    });
    expect(letter).toEqual({ subject: `${t.dlqRoot}.poison`, body: 'garbage', reason: 'poison', code: 'CONTRACT.BAD_BATCH' });
    await expectEventually(async () => expect(await pending('poison')).toEqual({ ackPending: 0, pending: 0 }), { timeoutMs: 2_000 });
  });

  it('redelivers after RetryLater and acks the second delivery', async () => {
    await publishBatch(probe.jetstream, { subject: `${t.subject}.flaky`, payload: bytes('later'), msgId: 'f1' });
    await expectEventually(() => expect(seen).toEqual([{ body: 'later', correlationId: undefined, deliveryCount: 2 }]));
    await expectEventually(async () => expect(await pending('flaky')).toEqual({ ackPending: 0, pending: 0 }), { timeoutMs: 2_000 });
  });

  it('answers @MessagePattern requests and maps a VigilError to its code', async () => {
    await expect(request(probe.connection, { subject: `rpc.${t.stream}.double`, payload: { n: 4 }, timeoutMs: 2_000, correlationId: 'c-1' })).resolves.toEqual({
      doubled: 8,
      correlationId: 'c-1',
    });
    await expect(request(probe.connection, { subject: `rpc.${t.stream}.missing`, payload: {}, timeoutMs: 2_000 })).rejects.toMatchObject({
      code: 'REGISTRY.MODEL_NOT_FOUND',
      kind: 'not-found',
    });
  });

  it('close() lets in-flight handlers finish and ack before the connection drains', async () => {
    let release: () => void = () => undefined;
    gate.wait = new Promise<void>((r) => (release = r));
    for (let i = 0; i < 3; i++) await publishBatch(probe.jetstream, { subject: `${t.subject}.ok`, payload: bytes(`f-${i}`), msgId: `c${i}` });
    await expectEventually(async () => expect((await pending('ok')).ackPending).toBeGreaterThan(0));
    const started = Date.now();
    const closing = app!.close();
    app = undefined;
    setTimeout(() => release(), 300);
    await closing;
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(seen.map((s) => s.body)).toEqual(['f-0', 'f-1', 'f-2']);
    expect(await pending('ok')).toEqual({ ackPending: 0, pending: 0 });
  });
});
