import { readFileSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { SelfHealingError, SELF_HEALING_ERROR_CODES } from '../self-healing.errors';

export interface KubernetesApiOptions {
  /** https://<KUBERNETES_SERVICE_HOST>:<port> in a pod. */
  readonly baseUrl: string;
  /** The service-account token file (re-read on every call: the kubelet rotates it). */
  readonly tokenFile: string | undefined;
  /** The cluster CA bundle for https. */
  readonly caFile: string | undefined;
  readonly timeoutMs: number;
}

export interface KubeResponse {
  readonly status: number;
  readonly body: unknown;
}

/**
 * The few Kubernetes REST calls the executor makes, over Node's own http(s) with the
 * in-cluster service-account token and CA: no client library, nothing else reachable.
 */
export class KubernetesApi {
  private ca: Buffer | undefined;

  constructor(private readonly opts: KubernetesApiOptions) {}

  async call(args: { method: 'GET' | 'PATCH' | 'DELETE'; path: string; body?: unknown; contentType?: string }): Promise<KubeResponse> {
    const url = new URL(args.path, this.opts.baseUrl);
    const payload = args.body === undefined ? undefined : JSON.stringify(args.body);
    const headers: Record<string, string> = { accept: 'application/json' };
    const token = this.opts.tokenFile ? readFileSync(this.opts.tokenFile, 'utf8').trim() : undefined;
    if (token) headers['authorization'] = `Bearer ${token}`;
    if (payload !== undefined) {
      headers['content-type'] = args.contentType ?? 'application/json';
      headers['content-length'] = String(Buffer.byteLength(payload));
    }
    if (url.protocol === 'https:' && this.opts.caFile) this.ca ??= readFileSync(this.opts.caFile);
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = send(url, { method: args.method, headers, timeout: this.opts.timeoutMs, ...(this.ca ? { ca: this.ca } : {}) }, (res) => {
        collect(res).then((text) => resolve({ status: res.statusCode ?? 0, body: parseBody(text) }), reject);
      });
      req.on('timeout', () => req.destroy(new Error(`no answer within ${this.opts.timeoutMs} ms`)));
      req.on('error', (cause) => reject(kubeFailure(`${args.method} ${url.pathname}: ${cause.message}`, cause)));
      req.end(payload);
    });
  }
}

function collect(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
  });
}

function parseBody(text: string): unknown {
  try {
    return text === '' ? undefined : (JSON.parse(text) as unknown);
  } catch {
    return text.slice(0, 500);
  }
}

export function kubeFailure(message: string, cause?: unknown): SelfHealingError {
  return new SelfHealingError({ code: SELF_HEALING_ERROR_CODES.ExecutorFailed, message, kind: 'unavailable', details: { executor: 'kubernetes' }, cause });
}
