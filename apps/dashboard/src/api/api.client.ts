import { ApiError, networkError, toApiError } from './api.errors';

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;
export type Query = Record<string, string | number | boolean | readonly string[] | null | undefined>;

/** `?a=1&b=x,y`, leaving out empty values so a blank filter means "no filter". */
export function queryString(query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) {
      if (value.length > 0) params.set(name, value.join(','));
    } else params.set(name, String(value));
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

export interface ApiClientOptions {
  key: string;
  baseUrl?: string;
  fetch?: FetchLike;
  /** Called once for a 401: the key was revoked or is unknown, so the session ends. */
  onUnauthorized?: (err: ApiError) => void;
}

/** The gateway's REST API with the session's key; every failure is an ApiError. */
export class ApiClient {
  private readonly fetchImpl: FetchLike;
  private readonly baseUrl: string;

  constructor(private readonly options: ApiClientOptions) {
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
    this.baseUrl = options.baseUrl ?? '';
  }

  get<T>(path: string, query?: Query): Promise<T> {
    return this.send<T>({ method: 'GET', path: path + queryString(query) });
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.send<T>({ method: 'POST', path, body });
  }

  put<T>(path: string, body?: unknown): Promise<T> {
    return this.send<T>({ method: 'PUT', path, body });
  }

  delete<T>(path: string, body?: unknown): Promise<T> {
    return this.send<T>({ method: 'DELETE', path, body });
  }

  /** Sends raw bytes (a file) with their content type. */
  postBytes<T>(path: string, body: Blob | ArrayBuffer | Uint8Array, contentType: string): Promise<T> {
    return this.send<T>({ method: 'POST', path, raw: body as NonNullable<RequestInit['body']>, contentType });
  }

  /** Sends a multipart form (the browser sets the boundary). */
  postForm<T>(path: string, form: FormData): Promise<T> {
    return this.send<T>({ method: 'POST', path, raw: form });
  }

  /** A URL the browser can open itself (downloads) — the key travels in the header, so this only names the path. */
  url(path: string): string {
    return this.baseUrl + path;
  }

  /** Fetches a text/blob resource with the key (e.g. results.csv) for a download link. */
  async blob(path: string): Promise<Blob> {
    const res = await this.request({ method: 'GET', path });
    return res.blob();
  }

  private async send<T>(args: { method: string; path: string; body?: unknown; raw?: NonNullable<RequestInit['body']>; contentType?: string }): Promise<T> {
    const res = await this.request(args);
    if (res.status === 204) return undefined as T;
    const type = res.headers.get('content-type') ?? '';
    return (type.includes('json') ? await res.json() : await res.text()) as T;
  }

  private async request(args: { method: string; path: string; body?: unknown; raw?: NonNullable<RequestInit['body']>; contentType?: string }): Promise<Response> {
    const headers: Record<string, string> = { 'x-api-key': this.options.key, accept: 'application/json' };
    let body: NonNullable<RequestInit['body']> | undefined = args.raw;
    if (args.raw !== undefined && args.contentType !== undefined) headers['content-type'] = args.contentType;
    else if (args.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(args.body);
    }
    let res: Response;
    try {
      res = await this.fetchImpl(this.baseUrl + args.path, { method: args.method, headers, body });
    } catch (cause) {
      throw networkError(cause);
    }
    if (res.ok) return res;
    const err = toApiError({ status: res.status, body: await res.json().catch(() => null), retryAfter: res.headers.get('retry-after'), correlationId: res.headers.get('x-correlation-id') });
    if (err.endsSession) this.options.onUnauthorized?.(err);
    throw err;
  }
}

export { ApiError };
