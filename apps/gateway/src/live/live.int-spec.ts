// The live feed against the real gateway process and NATS: authentication paths, the bouncer's
// narrow view, and a client that stops reading being dropped with a close reason.
import { DEFAULT_DATABASE_URL, serviceSchemaName } from '@vigil/config';
import { type ApiKeyRole, generateApiKey, uploadTopology } from '@vigil/contracts';
import { createDataSource } from '@vigil/database';
import { connect } from '@nats-io/transport-node';
import { type NatsConnection } from '@nats-io/nats-core';
import { expectEventually, startMigratedService, type MigratedService, uniqueName } from '@vigil/testing';
import { type Socket } from 'node:net';
import WebSocket from 'ws';

describe('live feed /ws', () => {
  let running: MigratedService;
  let nc: NatsConnection;
  let wsUrl: string;
  const prefix = uniqueName('live').replace(/[^A-Za-z0-9_-]/g, '').slice(0, 24);
  const topology = uploadTopology(prefix);
  const keys = {} as Record<ApiKeyRole, string>;

  beforeAll(async () => {
    running = await startMigratedService({ app: 'gateway', env: { LOG_LEVEL: 'warn', PIPELINE_PREFIX: prefix, GATEWAY_WS_MAX_BUFFERED_BYTES: '65536' } });
    wsUrl = `${running.service.url.replace('http', 'ws')}/ws`;
    const db = createDataSource({ url: process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL, schema: serviceSchemaName('gateway', running.schemaPrefix), poolSize: 1 });
    await db.initialize();
    for (const role of ['viewer', 'bouncer'] as const) {
      const key = generateApiKey();
      await db.query('INSERT INTO api_keys (id, name, role, secret_hash) VALUES ($1, $2, $3, $4)', [key.id, role, role, key.secretHash]);
      keys[role] = key.key;
    }
    await db.destroy();
    nc = await connect({ servers: process.env.NATS_URL ?? 'nats://127.0.0.1:4222' });
    await expectEventually(async () => expect((await fetch(`${running.service.url}/readyz`)).status).toBe(200), { timeoutMs: 15_000 });
  }, 60_000);

  afterAll(async () => {
    await nc?.drain();
    await running?.cleanup();
  });

  const open = (url: string, headers: Record<string, string> = {}) => {
    const ws = new WebSocket(url, { headers });
    const messages: Record<string, unknown>[] = [];
    const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    ws.on('message', (raw) => messages.push(JSON.parse(raw.toString()) as Record<string, unknown>));
    return { ws, messages, closed };
  };

  it('authenticates by header, query or first message; refuses a bad key with 4401', async () => {
    const byHeader = open(wsUrl, { authorization: `Bearer ${keys.viewer}` });
    const byQuery = open(`${wsUrl}?key=${encodeURIComponent(keys.viewer)}`);
    const byMessage = open(wsUrl);
    byMessage.ws.on('open', () => byMessage.ws.send(JSON.stringify({ type: 'auth', key: keys.viewer })));
    for (const c of [byHeader, byQuery, byMessage]) {
      await expectEventually(async () => expect(c.messages[0]).toMatchObject({ type: 'welcome', role: 'viewer', channels: ['alerts', 'decisions', 'jobs', 'models'] }), { timeoutMs: 5_000 });
      c.ws.close();
    }
    const bad = open(wsUrl, { 'x-api-key': 'vgl_0000000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' });
    expect(await bad.closed).toEqual({ code: 4401, reason: 'missing, unknown or revoked API key' });
  });

  it('a bouncer sees decisions only', async () => {
    const viewer = open(wsUrl, { 'x-api-key': keys.viewer });
    const bouncer = open(wsUrl, { 'x-api-key': keys.bouncer });
    await expectEventually(async () => expect([viewer.messages.length, bouncer.messages.length]).toEqual([1, 1]), { timeoutMs: 5_000 });
    expect(bouncer.messages[0]).toMatchObject({ channels: ['decisions'] });
    nc.publish(topology.liveAlerts, JSON.stringify({ alerts: [{ id: 'a1' }] }));
    nc.publish(`${prefix}.decisions.ban`, JSON.stringify({ event: 'decision', decision: { id: 'd1' } }));
    await expectEventually(async () => expect(viewer.messages.map((m) => m.channel)).toEqual([undefined, 'alerts', 'decisions']), { timeoutMs: 5_000 });
    await expectEventually(async () => expect(bouncer.messages.map((m) => m.channel)).toEqual([undefined, 'decisions']), { timeoutMs: 5_000 });
    viewer.ws.close();
    bouncer.ws.close();
  });

  it('drops a client that stops reading with 4408 instead of queueing without bound', async () => {
    const slow = open(wsUrl, { 'x-api-key': keys.viewer });
    await expectEventually(async () => expect(slow.messages).toHaveLength(1), { timeoutMs: 5_000 });
    const socket = (slow.ws as unknown as { _socket: Socket })._socket;
    socket.pause();
    const big = JSON.stringify({ alerts: [{ id: 'x', pad: 'y'.repeat(200_000) }] });
    for (let i = 0; i < 200; i++) nc.publish(topology.liveAlerts, big);
    await nc.flush();
    await expectEventually(async () => {
      expect(await (await fetch(`${running.service.url}/metrics`)).text()).toMatch(/^vigil_gateway_ws_dropped_total\{[^}]*\} 1$/m);
    }, { timeoutMs: 10_000 });
    socket.resume();
    const closed = await slow.closed;
    expect(closed.code).toBe(4408);
    expect(closed.reason).toContain('too slow');
    expect((await fetch(`${running.service.url}/healthz`)).status).toBe(200);
  }, 30_000);
});
