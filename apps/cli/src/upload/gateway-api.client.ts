import { VigilError } from '@vigil/errors';
import { type CliIo } from '../command/cli-command';

export const DEFAULT_VIGIL_URL = 'http://127.0.0.1:8080';

/** An error answer of the gateway, with its stable code. */
export class GatewayApiError extends VigilError {
  constructor(readonly status: number, body: { code?: string; message?: string; details?: Record<string, unknown>; correlationId?: string }) {
    super({
      code: body.code ?? `HTTP.${status}`,
      kind: status === 401 ? 'unauthorized' : status === 403 ? 'forbidden' : status === 404 ? 'not-found' : status >= 500 ? 'unavailable' : 'invalid-input',
      message: `${body.message ?? `HTTP ${status}`}${body.correlationId ? ` (correlation id ${body.correlationId})` : ''}`,
      details: body.details ?? {},
    });
  }
}

/** The gateway's REST API as the CLI uses it: VIGIL_URL (default 127.0.0.1:8080) and VIGIL_API_KEY. */
export class GatewayApiClient {
  readonly baseUrl: string;
  private readonly key: string | undefined;

  constructor(env: CliIo['env']) {
    this.baseUrl = (env.VIGIL_URL ?? DEFAULT_VIGIL_URL).replace(/\/+$/, '');
    this.key = env.VIGIL_API_KEY;
  }

  headers(extra: Record<string, string> = {}): Record<string, string> {
    return { ...(this.key ? { 'x-api-key': this.key } : {}), ...extra };
  }

  async getJson<T>(path: string): Promise<T> {
    return this.json<T>(await this.fetch(path, { headers: this.headers() }));
  }

  async fetch(path: string, init: RequestInit & { duplex?: 'half' }): Promise<Response> {
    try {
      return await fetch(`${this.baseUrl}${path}`, init);
    } catch (err) {
      throw new VigilError({ code: 'CLI.GATEWAY_UNREACHABLE', kind: 'unavailable', message: `cannot reach the gateway at ${this.baseUrl} (set VIGIL_URL): ${(err as Error).message}`, cause: err });
    }
  }

  async json<T>(res: Response): Promise<T> {
    const text = await res.text();
    let body: unknown = {};
    try {
      body = text === '' ? {} : JSON.parse(text);
    } catch {
      body = { message: text.slice(0, 200) };
    }
    if (!res.ok) throw new GatewayApiError(res.status, body as Record<string, never>);
    return body as T;
  }
}
