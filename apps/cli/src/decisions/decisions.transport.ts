import { DEFAULT_NATS_URL } from '@vigil/config';
import { SELF_HEALING_REQUESTS } from '@vigil/contracts';
import { NatsClient, request } from '@vigil/messaging';

export type DecisionsRequest = keyof typeof SELF_HEALING_REQUESTS;

/**
 * How `vigil decisions` reaches self-healing. Today: its NATS request/reply subjects directly.
 * When the gateway serves the decision routes, an HTTP transport (VIGIL_URL, VIGIL_API_KEY)
 * replaces this one behind the same interface; the command does not change.
 */
export interface DecisionsTransport {
  call<T>(name: DecisionsRequest, payload: unknown): Promise<T>;
  close(): Promise<void>;
}

export class NatsDecisionsTransport implements DecisionsTransport {
  private constructor(private readonly client: NatsClient, private readonly prefix: string, private readonly timeoutMs: number) {}

  /** NATS_URL (comma-separated servers, default the local server) and PIPELINE_PREFIX from the environment. */
  static async connect(env: NodeJS.ProcessEnv): Promise<NatsDecisionsTransport> {
    const servers = (env['NATS_URL'] ?? DEFAULT_NATS_URL).split(',').map((s) => s.trim()).filter((s) => s !== '');
    const client = await NatsClient.connect({ servers, name: 'vigil-cli' });
    return new NatsDecisionsTransport(client, env['PIPELINE_PREFIX'] ?? '', 10_000);
  }

  call<T>(name: DecisionsRequest, payload: unknown): Promise<T> {
    const subject = this.prefix === '' ? SELF_HEALING_REQUESTS[name] : `${this.prefix}.${SELF_HEALING_REQUESTS[name]}`;
    return request<T>(this.client.connection, { subject, payload, timeoutMs: this.timeoutMs });
  }

  close(): Promise<void> {
    return this.client.drain();
  }
}
