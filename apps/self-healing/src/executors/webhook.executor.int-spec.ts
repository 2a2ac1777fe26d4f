import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { type Decision } from '@vigil/contracts';
import { expectEventually } from '@vigil/testing';
import { type DecisionEntity } from '../decisions/decision.entity';
import { DecisionLifecycleService } from '../decisions/decision-lifecycle.service';
import { startHarness, type Harness } from '../testing/self-healing.fixture';
import { WebhookExecutor } from './webhook.executor';
import { verifyWebhook } from './webhook.signature';

const secret = 'test-webhook-secret-0123456789';

interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** A receiver that answers each POST with the next scripted status ('hang' never answers). */
class Receiver {
  readonly received: Received[] = [];
  script: (number | 'hang')[] = [];
  fallback: number = 200;
  private server!: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        const next = this.script.shift() ?? this.fallback;
        if (next === 'hang') return;
        res.writeHead(next).end();
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/vigil`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

/** The receiver-side check, written from the docs with node:crypto only. */
function signatureValid(r: Received): boolean {
  const ts = String(r.headers['x-vigil-timestamp']);
  const mac = createHmac('sha256', secret).update(`${ts}.${r.body}`).digest('hex');
  return r.headers['x-vigil-signature'] === `sha256=${mac}` && Math.abs(Date.now() / 1000 - Number(ts)) < 300;
}

function decision(over: Partial<DecisionEntity> = {}): DecisionEntity {
  const now = new Date();
  return {
    id: randomUUID(), version: 3, scope: 'ip', value: '203.0.113.9', action: 'ban', origin: 'manual', status: 'active',
    reason: { attackClass: 'SSH-Patator', confidence: 0.97 }, durationSeconds: 600, escalationLevel: 0,
    createdAt: now, updatedAt: now, expiresAt: new Date(now.getTime() + 600_000), flowIds: [], alertIds: [], lastError: null, ...over,
  };
}

describe('webhook executor against a real HTTP receiver', () => {
  const receiver = new Receiver();
  let executor: WebhookExecutor;

  beforeAll(async () => {
    await receiver.start();
    executor = new WebhookExecutor({ url: receiver.url, secret, maxAttempts: 4, timeoutMs: 300, backoffMs: 20 });
  });
  beforeEach(() => {
    receiver.received.length = 0;
    receiver.script = [];
    receiver.fallback = 200;
  });
  afterAll(() => receiver.stop());

  it('posts a signed JSON body per change that the documented verification accepts', async () => {
    const d = decision();
    await executor.apply(d, new Date());
    await executor.withdraw({ ...d, version: 4, status: 'revoked' });
    expect(receiver.received).toHaveLength(2);
    const [applied, withdrawn] = receiver.received.map((r) => ({ r, body: JSON.parse(r.body) as { type: string; deliveryId: string; decision: Decision } }));
    expect(applied!.body).toMatchObject({ type: 'decision.applied', deliveryId: `${d.id}:3:decision.applied`, decision: { id: d.id, value: '203.0.113.9', action: 'ban', status: 'active' } });
    expect(withdrawn!.body).toMatchObject({ type: 'decision.withdrawn', decision: { status: 'revoked', version: 4 } });
    for (const { r } of [applied!, withdrawn!]) {
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.headers['x-vigil-delivery']).toBe(JSON.parse(r.body).deliveryId);
      expect(signatureValid(r)).toBe(true);
      expect(verifyWebhook({ secret, timestamp: r.headers['x-vigil-timestamp'] as string, signature: r.headers['x-vigil-signature'] as string, body: r.body, nowSeconds: Date.now() / 1000 })).toBe(true);
      expect(signatureValid({ ...r, body: r.body.replace('203.0.113.9', '203.0.113.8') })).toBe(false);
    }
  });

  it('retries failures and timeouts with backoff until the receiver takes it, same delivery id each time', async () => {
    receiver.script = [503, 'hang', 429];
    const started = Date.now();
    await executor.apply(decision(), new Date());
    expect(receiver.received).toHaveLength(4);
    expect(new Set(receiver.received.map((r) => r.headers['x-vigil-delivery'])).size).toBe(1);
    expect(new Set(receiver.received.map((r) => r.body)).size).toBe(1);
    expect(receiver.received.every(signatureValid)).toBe(true);
    // backoff 20 + 40 + 80 ms, plus one 300 ms timeout
    expect(Date.now() - started).toBeGreaterThanOrEqual(440);
  });

  it('gives up after the attempts (or at once on a refusing 4xx) with SELF_HEALING.EXECUTOR_FAILED', async () => {
    receiver.fallback = 500;
    await expect(executor.apply(decision(), new Date())).rejects.toMatchObject({ code: 'SELF_HEALING.EXECUTOR_FAILED', message: expect.stringContaining('HTTP 500') });
    expect(receiver.received).toHaveLength(4);
    receiver.received.length = 0;
    receiver.fallback = 400;
    await expect(executor.apply(decision(), new Date())).rejects.toMatchObject({ message: expect.stringContaining('HTTP 400') });
    expect(receiver.received).toHaveLength(1);
  });

  describe('inside the service', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness({}, { executors: [new WebhookExecutor({ url: receiver.url, secret, maxAttempts: 2, timeoutMs: 300, backoffMs: 10 })] });
      await h.ask('setSimulation', { enabled: false, actor: 'test', reason: 'enforce' });
    });
    afterAll(() => h?.close());

    it('never loses a decision: a receiver that is down marks it failed with an alert, and the sweeper delivers it later', async () => {
      receiver.fallback = 503;
      const created = await h.ask<Decision>('createDecision', { scope: 'ip', value: '203.0.113.60', action: 'ban', durationSeconds: 600, actor: 'alice', reason: 'test' });
      expect(created).toMatchObject({ status: 'failed', lastError: expect.stringContaining('webhook delivery') });
      await expectEventually(() => expect(h.events).toContainEqual(expect.objectContaining({ event: 'safety-alert', code: 'SELF_HEALING.EXECUTOR_FAILED' })));
      receiver.fallback = 200;
      receiver.received.length = 0;
      await h.app.get(DecisionLifecycleService).sweep();
      const [now] = await h.ask<Decision[]>('listDecisions', { value: '203.0.113.60' });
      expect(now).toMatchObject({ id: created.id, status: 'active' });
      expect(receiver.received.map((r) => JSON.parse(r.body) as { type: string; decision: { id: string } })).toEqual([
        expect.objectContaining({ type: 'decision.applied', decision: expect.objectContaining({ id: created.id }) }),
      ]);
      expect(receiver.received.every(signatureValid)).toBe(true);
    });
  });
});
