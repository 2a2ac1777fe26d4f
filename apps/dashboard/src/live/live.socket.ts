// The /ws live feed: authenticates with a first message (the key never goes in the URL, where
// proxies log it), reconnects with backoff, and ends the session on 4401 (key refused).

export type LiveChannel = 'alerts' | 'decisions' | 'jobs' | 'models';
export interface LiveMessage { channel: LiveChannel; data: unknown }
export type LiveStatus = 'connecting' | 'open' | 'closed';

/** The part of a browser WebSocket the client uses (a fake in tests). */
export interface SocketLike {
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  send(data: string): void;
  close(code?: number): void;
}

export interface LiveSocketOptions {
  url: string;
  key: string;
  open: (url: string) => SocketLike;
  onMessage: (message: LiveMessage) => void;
  onStatus?: (status: LiveStatus) => void;
  /** The gateway refused the key (close 4401): the session is over. */
  onUnauthorized?: () => void;
  schedule?: (fn: () => void, ms: number) => unknown;
}

export const WS_KEY_REFUSED = 4401;

/** Backoff before reconnect attempt n (0-based): 0.5 s doubling to 15 s. */
export function reconnectDelay(attempt: number): number {
  return Math.min(15_000, 500 * 2 ** attempt);
}

/** A frame of the feed as a LiveMessage, or null for control frames (welcome) and junk. */
export function parseLiveFrame(data: unknown): LiveMessage | null {
  if (typeof data !== 'string') return null;
  try {
    const frame = JSON.parse(data) as { channel?: unknown; data?: unknown };
    if (frame.channel === 'alerts' || frame.channel === 'decisions' || frame.channel === 'jobs' || frame.channel === 'models') return { channel: frame.channel, data: frame.data };
    return null;
  } catch {
    return null;
  }
}

export class LiveSocket {
  private socket: SocketLike | null = null;
  private attempt = 0;
  private stopped = false;

  constructor(private readonly options: LiveSocketOptions) {}

  start(): void {
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.socket?.close(1000);
    this.socket = null;
  }

  private connect(): void {
    const o = this.options;
    o.onStatus?.('connecting');
    const socket = o.open(o.url);
    this.socket = socket;
    socket.onopen = () => socket.send(JSON.stringify({ type: 'auth', key: o.key }));
    socket.onmessage = (ev) => {
      if (typeof ev.data === 'string' && ev.data.includes('"welcome"')) {
        this.attempt = 0;
        o.onStatus?.('open');
      }
      const message = parseLiveFrame(ev.data);
      if (message) o.onMessage(message);
    };
    socket.onerror = () => undefined;
    socket.onclose = (ev) => {
      if (this.socket !== socket) return;
      this.socket = null;
      o.onStatus?.('closed');
      if (ev.code === WS_KEY_REFUSED) return o.onUnauthorized?.();
      if (this.stopped) return;
      const schedule = o.schedule ?? ((fn: () => void, ms: number) => setTimeout(fn, ms));
      schedule(() => {
        if (!this.stopped) this.connect();
      }, reconnectDelay(this.attempt++));
    };
  }
}
