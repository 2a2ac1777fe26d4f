import { LiveSocket, type SocketLike, parseLiveFrame, reconnectDelay } from './live.socket';

class FakeSocket implements SocketLike {
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number; reason: string }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  sent: string[] = [];
  closed: number | undefined;
  send(data: string): void {
    this.sent.push(data);
  }
  close(code?: number): void {
    this.closed = code;
  }
}

describe('live feed client', () => {
  function harness() {
    const sockets: FakeSocket[] = [];
    const scheduled: { fn: () => void; ms: number }[] = [];
    const events: { messages: unknown[]; statuses: string[]; unauthorized: number } = { messages: [], statuses: [], unauthorized: 0 };
    const live = new LiveSocket({
      url: 'ws://h/ws', key: 'vgl_key',
      open: () => { const s = new FakeSocket(); sockets.push(s); return s; },
      onMessage: (m) => events.messages.push(m),
      onStatus: (s) => events.statuses.push(s),
      onUnauthorized: () => events.unauthorized++,
      schedule: (fn, ms) => scheduled.push({ fn, ms }),
    });
    return { live, sockets, scheduled, events };
  }

  it('authenticates with a first message (never the URL), passes channel frames on, ignores control frames', () => {
    const h = harness();
    h.live.start();
    h.sockets[0].onopen?.({});
    expect(h.sockets[0].sent).toEqual(['{"type":"auth","key":"vgl_key"}']);
    h.sockets[0].onmessage?.({ data: '{"type":"welcome","role":"viewer","channels":["alerts"]}' });
    h.sockets[0].onmessage?.({ data: '{"channel":"alerts","data":{"id":"f1"}}' });
    h.sockets[0].onmessage?.({ data: 'garbage' });
    expect(h.events.messages).toEqual([{ channel: 'alerts', data: { id: 'f1' } }]);
    expect(h.events.statuses).toEqual(['connecting', 'open']);
  });

  it('reconnects with growing backoff after a drop, but a refused key (4401) ends the session without retrying', () => {
    const h = harness();
    h.live.start();
    h.sockets[0].onclose?.({ code: 1006, reason: '' });
    expect(h.scheduled.map((s) => s.ms)).toEqual([500]);
    h.scheduled[0].fn();
    expect(h.sockets).toHaveLength(2);
    h.sockets[1].onclose?.({ code: 1006, reason: '' });
    expect(h.scheduled.map((s) => s.ms)).toEqual([500, 1000]);
    h.scheduled[1].fn();
    h.sockets[2].onclose?.({ code: 4401, reason: 'invalid key' });
    expect(h.events.unauthorized).toBe(1);
    expect(h.scheduled).toHaveLength(2);
  });

  it('stop closes the socket and no reconnect follows', () => {
    const h = harness();
    h.live.start();
    const socket = h.sockets[0];
    h.live.stop();
    expect(socket.closed).toBe(1000);
    socket.onclose?.({ code: 1000, reason: '' });
    expect(h.scheduled).toEqual([]);
  });

  it('backoff caps at 15 s; only the four channels are frames', () => {
    expect([0, 1, 5, 10].map(reconnectDelay)).toEqual([500, 1000, 15_000, 15_000]);
    expect(parseLiveFrame('{"channel":"other","data":1}')).toBeNull();
    expect(parseLiveFrame(42)).toBeNull();
  });
});
