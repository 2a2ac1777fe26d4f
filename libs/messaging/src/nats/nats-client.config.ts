import { type NodeConnectionOptions } from '@nats-io/transport-node';

export interface ConnectNatsOptions {
  /** `nats://host:port` or `host:port`, one or many (a cluster). */
  servers: string | string[];
  /** Shows in `nats server report connections`; use the service name. */
  name: string;
  /** Milliseconds to wait for the first connection before failing start-up. */
  connectTimeoutMs?: number;
  /** -1 (default) keeps reconnecting forever: a service outlives a NATS restart. */
  maxReconnectAttempts?: number;
  reconnectTimeWaitMs?: number;
  /** Extra client options for what this interface does not name (auth, TLS). */
  extra?: Partial<NodeConnectionOptions>;
}

/**
 * Defaults for long-running services: reconnect forever with jitter so a fleet does not
 * stampede a restarted server, and detect a dead link within ~2 missed pings.
 */
export function toConnectionOptions(opts: ConnectNatsOptions): NodeConnectionOptions {
  return {
    servers: opts.servers,
    name: opts.name,
    timeout: opts.connectTimeoutMs ?? 5_000,
    maxReconnectAttempts: opts.maxReconnectAttempts ?? -1,
    reconnectTimeWait: opts.reconnectTimeWaitMs ?? 1_000,
    reconnectJitter: 500,
    pingInterval: 20_000,
    maxPingOut: 2,
    ...opts.extra,
  };
}
