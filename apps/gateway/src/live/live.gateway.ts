import { Inject, Injectable } from '@nestjs/common';
import { type OnGatewayConnection, WebSocketGateway } from '@nestjs/websockets';
import { type ApiKeyRole } from '@vigil/contracts';
import { LOGGER, type Logger, Metrics } from '@vigil/observability';
import { type IncomingMessage } from 'node:http';
import { type RawData, type WebSocket } from 'ws';
import { ApiKeyService, type Principal, presentedKey } from '../auth/api-key.service';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config';
import { LIVE_CHANNELS, type LiveChannel, type LiveEvent, LiveHub } from './live.hub';

export const CLOSE_CODES = { unauthorized: 4401, tooSlow: 4408, authTimeout: 4400 } as const;
const AUTH_TIMEOUT_MS = 5_000;

/** Channels a role may follow: bouncers see decisions only. */
export function channelsFor(role: ApiKeyRole): LiveChannel[] {
  return role === 'bouncer' ? ['decisions'] : [...LIVE_CHANNELS];
}

/**
 * The live feed at /ws. Authenticate with `X-Api-Key`/`Authorization: Bearer` on the upgrade,
 * `?key=` in the URL, or a first message `{"type":"auth","key":"..."}`; then every message is
 * `{"channel": ..., "data": ...}`. `{"type":"subscribe","channels":[...]}` narrows the channels.
 * A client with more than GATEWAY_WS_MAX_BUFFERED_BYTES queued is closed (4408) instead of
 * letting its queue grow.
 */
@Injectable()
@WebSocketGateway({ path: '/ws' })
export class LiveGateway implements OnGatewayConnection {
  private readonly clients;
  private readonly dropped;

  constructor(
    private readonly keys: ApiKeyService,
    private readonly hub: LiveHub,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    metrics: Metrics,
  ) {
    this.clients = metrics.gauge({ name: 'vigil_gateway_ws_clients', help: 'Authenticated WebSocket clients' });
    this.dropped = metrics.counter({ name: 'vigil_gateway_ws_dropped_total', help: 'WebSocket clients closed for falling behind' });
  }

  async handleConnection(socket: WebSocket, req: IncomingMessage): Promise<void> {
    const fromUrl = new URL(req.url ?? '/ws', 'http://localhost').searchParams.get('key') ?? undefined;
    const key = presentedKey(req.headers) ?? fromUrl;
    if (key !== undefined) {
      await this.admit(socket, await this.keys.verify(key));
      return;
    }
    const timer = setTimeout(() => socket.close(CLOSE_CODES.authTimeout, 'no API key within 5 s'), AUTH_TIMEOUT_MS);
    socket.once('message', (raw: RawData) => {
      clearTimeout(timer);
      const message = parse(raw);
      const presented = message?.type === 'auth' && typeof message.key === 'string' ? message.key : undefined;
      const verify = presented === undefined ? Promise.resolve(null) : this.keys.verify(presented);
      verify.then((p) => this.admit(socket, p), () => socket.close(1011, 'could not verify the key'));
    });
  }

  private async admit(socket: WebSocket, principal: Principal | null): Promise<void> {
    if (principal === null) {
      socket.close(CLOSE_CODES.unauthorized, 'missing, unknown or revoked API key');
      return;
    }
    const allowed = new Set(channelsFor(principal.role));
    let channels = new Set(allowed);
    const send = (event: LiveEvent): void => {
      if (!channels.has(event.channel) || socket.readyState !== socket.OPEN) return;
      if (socket.bufferedAmount > this.config.wsMaxBufferedBytes) {
        this.dropped.inc();
        unsubscribe();
        socket.close(CLOSE_CODES.tooSlow, `too slow: more than ${this.config.wsMaxBufferedBytes} bytes queued`);
        return;
      }
      socket.send(JSON.stringify(event));
    };
    const unsubscribe = this.hub.subscribe(send);
    this.clients.inc();
    socket.on('close', () => {
      unsubscribe();
      this.clients.dec();
    });
    socket.on('message', (raw: RawData) => {
      const message = parse(raw);
      if (message?.type === 'subscribe' && Array.isArray(message.channels)) {
        channels = new Set((message.channels as unknown[]).filter((c): c is LiveChannel => allowed.has(c as LiveChannel)));
        socket.send(JSON.stringify({ type: 'subscribed', channels: [...channels] }));
      }
    });
    socket.send(JSON.stringify({ type: 'welcome', role: principal.role, channels: [...channels] }));
    this.logger.debug({ keyId: principal.keyId }, 'live client connected');
  }
}

function parse(raw: RawData): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(raw.toString());
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
