import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DecisionEntity } from '../decisions/decision.entity';
import { FakeKubeApi } from '../testing/fake-kube-api';
import { validateNetworkPolicy } from '../testing/network-policy.schema';
import { KubernetesApi } from './kubernetes.api';
import { KubernetesExecutor } from './kubernetes.executor';

const NS = 'shop';

function decision(over: Partial<DecisionEntity>): DecisionEntity {
  const now = new Date('2025-03-01T12:00:00Z');
  return {
    id: randomUUID(), version: 1, scope: 'ip', value: '203.0.113.9', action: 'ban', origin: 'manual', status: 'active',
    reason: { attackClass: 'Bot', confidence: 0.95 }, durationSeconds: 600, escalationLevel: 0,
    createdAt: now, updatedAt: now, expiresAt: new Date(now.getTime() + 600_000), flowIds: [], alertIds: [], lastError: null, ...over,
  };
}

describe('Kubernetes executor against a local API server', () => {
  const token = `token-${randomUUID()}`;
  const kube = new FakeKubeApi(token);
  let dir: string;
  let executor: KubernetesExecutor;
  const policy = (name: string) => kube.policies.get(`${NS}/${name}`) as { metadata: { labels: Record<string, string>; annotations: Record<string, string> }; spec: unknown } | undefined;

  beforeAll(async () => {
    await kube.start();
    dir = mkdtempSync(join(tmpdir(), 'vigil-sa-'));
    writeFileSync(join(dir, 'token'), `${token}\n`);
    const api = new KubernetesApi({ baseUrl: kube.url, tokenFile: join(dir, 'token'), caFile: undefined, timeoutMs: 2_000 });
    executor = new KubernetesExecutor(api, { namespace: NS, protectedPods: { 'app.kubernetes.io/part-of': 'shop' } });
  });
  beforeEach(() => {
    kube.policies.clear();
    kube.requests.length = 0;
    kube.rejectedWrites = [];
    kube.failWith = undefined;
  });
  afterAll(async () => {
    await kube.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('isolates a pod with a deny-all NetworkPolicy selecting its labels, labelled as Vigil\'s, by server-side apply', async () => {
    const d = decision({ scope: 'pod', value: 'statefulset.kubernetes.io/pod-name=db-0,app=db', action: 'isolate' });
    await executor.apply(d);
    expect(kube.rejectedWrites).toEqual([]);
    expect(kube.requests[0]).toMatchObject({ method: 'PATCH', contentType: 'application/apply-patch+yaml', path: expect.stringContaining('fieldManager=vigil-self-healing') });
    const stored = policy(`vigil-isolate-${d.id}`)!;
    expect(stored.spec).toEqual({ podSelector: { matchLabels: { 'statefulset.kubernetes.io/pod-name': 'db-0', app: 'db' } }, policyTypes: ['Ingress', 'Egress'] });
    expect(stored.metadata.labels).toEqual({ 'app.kubernetes.io/managed-by': 'vigil-self-healing', 'vigil.io/decision-id': d.id });
    expect(stored.metadata.annotations['vigil.io/expires-at']).toBe('2025-03-01T12:10:00.000Z');
    // applying again (an extension) updates in place
    await executor.apply({ ...d, version: 2, expiresAt: new Date('2025-03-01T13:00:00Z') });
    expect(kube.policies.size).toBe(1);
    expect(policy(`vigil-isolate-${d.id}`)!.metadata.annotations['vigil.io/expires-at']).toBe('2025-03-01T13:00:00.000Z');
  });

  it('blocks an address or range for the protected pods as "ingress from everywhere except it", IPv4 and IPv6', async () => {
    const v4 = decision({ value: '203.0.113.9' });
    const v6 = decision({ scope: 'range', value: '2001:db8:1:2::/64' });
    await executor.apply(v4);
    await executor.apply(v6);
    expect(kube.rejectedWrites).toEqual([]);
    expect(policy(`vigil-block-${v4.id}`)!.spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/part-of': 'shop' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['203.0.113.9/32'] } }, { ipBlock: { cidr: '::/0' } }] }],
    });
    expect(policy(`vigil-block-${v6.id}`)!.spec).toMatchObject({ ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0' } }, { ipBlock: { cidr: '::/0', except: ['2001:db8:1:2::/64'] } }] }] });
  });

  it('sends nothing for throttle and alert, nor for CIDR bans when no protected pods are configured', async () => {
    await executor.apply(decision({ action: 'throttle' }));
    await executor.apply(decision({ action: 'alert' }));
    const api = new KubernetesApi({ baseUrl: kube.url, tokenFile: join(dir, 'token'), caFile: undefined, timeoutMs: 2_000 });
    await new KubernetesExecutor(api, { namespace: NS, protectedPods: undefined }).apply(decision({}));
    expect(kube.requests).toEqual([]);
  });

  it('removes the policy on revoke or expiry, and a second removal is harmless', async () => {
    const d = decision({ scope: 'pod', value: 'app=db', action: 'isolate' });
    await executor.apply(d);
    await executor.withdraw(d);
    await executor.withdraw(d);
    expect(kube.policies.size).toBe(0);
  });

  it('reconciles at start by label: stale Vigil policies go, the namespace\'s own stay, active ones are (re)applied', async () => {
    const stale = decision({ scope: 'pod', value: 'app=old', action: 'isolate' });
    await executor.apply(stale);
    kube.seed({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'default-deny-all', namespace: NS }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } });
    kube.seed({ metadata: { name: 'vigil-block-elsewhere', namespace: 'other', labels: { 'app.kubernetes.io/managed-by': 'vigil-self-healing' } } });
    const active = [decision({ scope: 'pod', value: 'app=web', action: 'isolate' }), decision({ value: '198.51.100.0/24', scope: 'range' })];
    await executor.reconcile(active);
    expect([...kube.policies.keys()].sort()).toEqual([
      'other/vigil-block-elsewhere', `${NS}/default-deny-all`, `${NS}/vigil-block-${active[1]!.id}`, `${NS}/vigil-isolate-${active[0]!.id}`,
    ].sort());
  });

  it('reports API refusals as executor failures (the decision becomes failed and is retried)', async () => {
    kube.failWith = 403;
    await expect(executor.apply(decision({ scope: 'pod', value: 'app=db', action: 'isolate' })))
      .rejects.toMatchObject({ code: 'SELF_HEALING.EXECUTOR_FAILED', message: expect.stringContaining('HTTP 403') });
  });

  it('uses a schema validator that does reject what the API server rejects', () => {
    const good = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'x' }, spec: { podSelector: {} } };
    expect(validateNetworkPolicy(good)).toEqual([]);
    const bad = (spec: unknown, metadata: unknown = { name: 'x' }) => validateNetworkPolicy({ ...good, metadata, spec });
    expect(bad({ podSelector: {}, policyTypes: ['ingress'] })).toEqual([expect.stringContaining('Unsupported value "ingress"')]);
    expect(bad({ policyTypes: ['Ingress'] })).toEqual([expect.stringContaining('podSelector: Required value')]);
    expect(bad({ podSelector: {}, ingress: [{ from: [{ ipBlock: { except: ['10.0.0.0/8'] } }] }] })).toEqual([expect.stringContaining('cidr: Required value')]);
    expect(bad({ podSelector: { matchLabels: { app: 1 } } })).toEqual([expect.stringContaining('expected string')]);
    expect(bad({ podSelector: {}, deny: true })).toEqual([expect.stringContaining('unknown field "deny"')]);
    expect(bad({ podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.0.0.0/8'] } }] }] })).toEqual([expect.stringContaining('strict subset')]);
    expect(bad({ podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8' }, podSelector: {} }] }] })).toEqual([expect.stringContaining('both ipBlock')]);
    expect(bad({ podSelector: {}, ingress: [{ ports: [{ protocol: 'ICMP' }] }] })).toEqual([expect.stringContaining('Unsupported value "ICMP"')]);
    expect(bad({ podSelector: {} }, { name: 'Vigil_Policy' })).toEqual([expect.stringContaining('metadata.name')]);
  });
});
