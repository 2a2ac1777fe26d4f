import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import { validateNetworkPolicy } from './network-policy.schema';

interface StoredPolicy {
  metadata: { name: string; namespace: string; labels?: Record<string, string>; resourceVersion?: string };
  [key: string]: unknown;
}

const COLLECTION = /^\/apis\/networking\.k8s\.io\/v1\/namespaces\/([^/]+)\/networkpolicies(?:\/([^/]+))?$/;

/**
 * The few Kubernetes API endpoints the executor uses, over real HTTP: list NetworkPolicies
 * by label selector, server-side apply, delete. Writes are checked against the NetworkPolicy
 * schema and refused with a 422 Status as the API server would; requests need the bearer token.
 */
export class FakeKubeApi {
  readonly policies = new Map<string, StoredPolicy>();
  readonly requests: { method: string; path: string; contentType: string | undefined; body: unknown }[] = [];
  rejectedWrites: string[][] = [];
  /** Answer every request with this status (e.g. 403) while set. */
  failWith: number | undefined;
  private server!: Server;
  private version = 1;
  url = '';

  constructor(private readonly token: string) {}

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.handle(req, res, Buffer.concat(chunks).toString('utf8')));
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  /** Seeds a policy as if someone else had created it. */
  seed(policy: StoredPolicy): void {
    this.policies.set(`${policy.metadata.namespace}/${policy.metadata.name}`, policy);
  }

  private handle(req: IncomingMessage, res: ServerResponse, text: string): void {
    const url = new URL(req.url ?? '/', 'http://kube');
    const body = text === '' ? undefined : (JSON.parse(text) as unknown);
    this.requests.push({ method: req.method ?? '', path: url.pathname + url.search, contentType: req.headers['content-type'], body });
    if (req.headers.authorization !== `Bearer ${this.token}`) return send(res, 401, status(401, 'Unauthorized'));
    if (this.failWith !== undefined) return send(res, this.failWith, status(this.failWith, 'networkpolicies is forbidden'));
    const match = COLLECTION.exec(url.pathname);
    if (!match) return send(res, 404, status(404, 'the server could not find the requested resource'));
    const [, namespace = '', name] = match;
    if (req.method === 'GET' && !name) return send(res, 200, this.list(namespace, url.searchParams.get('labelSelector') ?? ''));
    if (req.method === 'PATCH' && name) return this.apply({ res, namespace, name, body, contentType: req.headers['content-type'], params: url.searchParams });
    if (req.method === 'DELETE' && name) {
      const existed = this.policies.delete(`${namespace}/${name}`);
      return send(res, existed ? 200 : 404, status(existed ? 200 : 404, existed ? 'deleted' : `networkpolicies "${name}" not found`));
    }
    return send(res, 405, status(405, 'method not allowed'));
  }

  private list(namespace: string, selector: string): unknown {
    const wanted = selector.split(',').filter((s) => s !== '').map((s) => s.split('=') as [string, string]);
    const items = [...this.policies.values()].filter((p) => p.metadata.namespace === namespace && wanted.every(([k, v]) => p.metadata.labels?.[k] === v));
    return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicyList', metadata: { resourceVersion: String(this.version) }, items };
  }

  private apply(args: { res: ServerResponse; namespace: string; name: string; body: unknown; contentType: string | undefined; params: URLSearchParams }): void {
    const { res, namespace, name, body } = args;
    if (args.contentType !== 'application/apply-patch+yaml') return send(res, 415, status(415, 'unsupported media type'));
    if (!args.params.get('fieldManager')) return send(res, 422, status(422, 'fieldManager is required for apply requests'));
    const problems = validateNetworkPolicy(body);
    const meta = (body as { metadata?: { name?: string; namespace?: string } }).metadata;
    if (meta?.name !== name || meta.namespace !== namespace) problems.push('metadata.name/namespace must match the request path');
    if (problems.length > 0) {
      this.rejectedWrites.push(problems);
      return send(res, 422, status(422, `NetworkPolicy.networking.k8s.io "${name}" is invalid: ${problems.join(', ')}`));
    }
    const key = `${namespace}/${name}`;
    const created = !this.policies.has(key);
    const stored = structuredClone(body) as StoredPolicy;
    stored.metadata.resourceVersion = String(++this.version);
    this.policies.set(key, stored);
    send(res, created ? 201 : 200, stored);
  }
}

function status(code: number, message: string): unknown {
  return { kind: 'Status', apiVersion: 'v1', status: code < 300 ? 'Success' : 'Failure', message, code };
}

function send(res: ServerResponse, code: number, body: unknown): void {
  res.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
