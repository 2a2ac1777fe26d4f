// The decision, simulation, allowlist and policy routes against a real gateway and a real
// self-healing process (NATS request/reply between them, Postgres behind both).
import { type Decision, type DecisionAuditEntry, type Policy } from '@vigil/contracts';
import { startGatewayStack, type GatewayStack } from '../testing/gateway-stack.fixture';

describe('gateway decisions routes over self-healing', () => {
  let stack: GatewayStack;

  beforeAll(async () => {
    stack = await startGatewayStack({ services: ['self-healing'] });
  }, 90_000);
  afterAll(() => stack?.stop());

  const json = async <T>(res: Response, status: number): Promise<T> => {
    const body = (await res.json()) as T;
    expect({ status: res.status, body }).toMatchObject({ status });
    return body;
  };

  it('switches simulation (admin), bans by hand (operator), lists with filters, shows the audit trail, revokes', async () => {
    expect(await json(await stack.call('/api/v1/simulation', { role: 'viewer' }), 200)).toMatchObject({ enabled: true });
    expect((await stack.call('/api/v1/simulation', { role: 'operator', method: 'PUT', body: { enabled: false } })).status).toBe(403);
    expect(await json(await stack.call('/api/v1/simulation', { role: 'admin', method: 'PUT', body: { enabled: false, reason: 'go live' } }), 200)).toMatchObject({ enabled: false, updatedBy: 'key:admin' });

    const before = new Date().toISOString();
    const ban = await json<Decision>(await stack.call('/api/v1/decisions', { role: 'operator', body: { value: '203.0.113.41', durationSeconds: 3600, reason: 'brute force seen in logs' }, headers: { 'x-vigil-actor': 'alice' } }), 201);
    expect(ban).toMatchObject({ scope: 'ip', value: '203.0.113.41', action: 'ban', status: 'active', origin: 'api', durationSeconds: 3600 });
    const range = await json<Decision>(await stack.call('/api/v1/decisions', { role: 'operator', body: { value: '198.51.100.0/24', action: 'throttle', durationSeconds: 600, origin: 'manual' } }), 201);
    expect(range).toMatchObject({ scope: 'range', action: 'throttle', status: 'active', origin: 'manual' });

    const all = await json<{ items: Decision[]; nextOffset: number | null }>(await stack.call('/api/v1/decisions', { role: 'viewer' }), 200);
    expect(all.items.map((d) => d.id)).toEqual([range.id, ban.id]);
    const ranges = await json<{ items: Decision[] }>(await stack.call('/api/v1/decisions?scope=range&status=active,simulated', { role: 'viewer' }), 200);
    expect(ranges.items.map((d) => d.id)).toEqual([range.id]);
    const bans = await json<{ items: Decision[] }>(await stack.call('/api/v1/decisions?action=ban', { role: 'viewer' }), 200);
    expect(bans.items.map((d) => d.id)).toEqual([ban.id]);
    const byValue = await json<{ items: Decision[] }>(await stack.call('/api/v1/decisions?value=203.0.113.41', { role: 'viewer' }), 200);
    expect(byValue.items.map((d) => d.id)).toEqual([ban.id]);
    const paged = await json<{ items: Decision[]; nextOffset: number | null }>(await stack.call('/api/v1/decisions?limit=1', { role: 'viewer' }), 200);
    expect(paged).toMatchObject({ items: [{ id: range.id }], nextOffset: 1 });
    const page2 = await json<{ items: Decision[]; nextOffset: number | null }>(await stack.call('/api/v1/decisions?limit=1&offset=1', { role: 'viewer' }), 200);
    expect(page2.items.map((d) => d.id)).toEqual([ban.id]);
    const future = new Date(Date.now() + 3_600_000).toISOString();
    expect((await json<{ items: Decision[] }>(await stack.call(`/api/v1/decisions?from=${encodeURIComponent(future)}`, { role: 'viewer' }), 200)).items).toEqual([]);
    expect((await json<{ items: Decision[] }>(await stack.call(`/api/v1/decisions?from=${encodeURIComponent(before)}&to=${encodeURIComponent(future)}`, { role: 'viewer' }), 200)).items).toHaveLength(2);
    expect(await json(await stack.call('/api/v1/decisions?status=nope', { role: 'viewer' }), 400)).toMatchObject({ code: 'HTTP.INVALID_REQUEST' });

    const revoked = await json<Decision>(await stack.call(`/api/v1/decisions/${ban.id}/revoke`, { role: 'operator', body: { reason: 'false positive' } }), 200);
    expect(revoked).toMatchObject({ id: ban.id, status: 'revoked' });
    const shown = await json<{ decision: Decision; audit: DecisionAuditEntry[] }>(await stack.call(`/api/v1/decisions/${ban.id}`, { role: 'viewer' }), 200);
    expect(shown.audit).toEqual([
      expect.objectContaining({ fromStatus: null, toStatus: 'active', actor: 'alice (key:operator)' }),
      expect.objectContaining({ fromStatus: 'active', toStatus: 'revoked', actor: 'key:operator', reason: expect.stringContaining('false positive') }),
    ]);
  });

  it('maps SELF_HEALING codes to statuses: not found 404, invalid transition 409, allowlisted 403, bad address 400', async () => {
    expect(await json(await stack.call('/api/v1/decisions/00000000-0000-4000-8000-000000000000', { role: 'viewer' }), 404)).toMatchObject({ code: 'SELF_HEALING.DECISION_NOT_FOUND' });
    expect(await json(await stack.call('/api/v1/decisions/not-a-uuid', { role: 'viewer' }), 400)).toMatchObject({ code: 'HTTP.INVALID_REQUEST' });
    const d = await json<Decision>(await stack.call('/api/v1/decisions', { role: 'operator', body: { value: '203.0.113.50', durationSeconds: 60 } }), 201);
    expect(await json(await stack.call(`/api/v1/decisions/${d.id}/approve`, { role: 'operator', body: {} }), 409)).toMatchObject({ code: 'SELF_HEALING.INVALID_TRANSITION' });
    expect(await json(await stack.call('/api/v1/decisions', { role: 'operator', body: { value: '127.0.0.1', durationSeconds: 60 } }), 403)).toMatchObject({ code: 'SELF_HEALING.ALLOWLISTED' });
    expect(await json(await stack.call('/api/v1/decisions', { role: 'operator', body: { value: '300.1.2.3', durationSeconds: 60 } }), 400)).toMatchObject({ code: 'SELF_HEALING.INVALID_ADDRESS' });
    expect(await json(await stack.call('/api/v1/decisions', { role: 'operator', body: { value: '203.0.113.9' } }), 400)).toMatchObject({ code: 'HTTP.INVALID_REQUEST' });
    await stack.call(`/api/v1/decisions/${d.id}/reject`, { role: 'operator', body: {} });
  });

  it('edits the allowlist (admin): adding a CIDR revokes the open decisions inside it', async () => {
    const d = await json<Decision>(await stack.call('/api/v1/decisions', { role: 'operator', body: { value: '192.0.2.77', durationSeconds: 600 } }), 201);
    expect((await stack.call('/api/v1/allowlist', { role: 'operator', body: { cidr: '192.0.2.0/24' } })).status).toBe(403);
    const added = await json<{ entry: { cidr: string }; revoked: unknown[] }>(await stack.call('/api/v1/allowlist', { role: 'admin', body: { cidr: '192.0.2.0/24', note: 'office' } }), 201);
    expect(added.entry.cidr).toBe('192.0.2.0/24');
    expect(added.revoked).toHaveLength(1);
    expect((await json<{ decision: Decision }>(await stack.call(`/api/v1/decisions/${d.id}`, { role: 'viewer' }), 200)).decision.status).toBe('revoked');
    const listed = await json<{ cidr: string; note?: string }[]>(await stack.call('/api/v1/allowlist', { role: 'viewer' }), 200);
    expect(listed).toEqual(expect.arrayContaining([expect.objectContaining({ cidr: '192.0.2.0/24' })]));
    expect(await json(await stack.call(`/api/v1/allowlist?cidr=${encodeURIComponent('192.0.2.0/24')}`, { role: 'admin', method: 'DELETE' }), 200)).toEqual({ removed: true });
  });

  it('edits policies (admin): upsert, read back, delete restores the default', async () => {
    const policies = await json<Policy[]>(await stack.call('/api/v1/policies', { role: 'viewer' }), 200);
    const ssh = policies.find((p) => p.contract === 'cicflowmeter' && p.attackClass === 'SSH-Patator');
    expect(ssh).toBeDefined();
    const edited: Policy = { ...ssh!, evidenceCount: 3, requiresApproval: true };
    expect((await stack.call('/api/v1/policies', { role: 'operator', method: 'PUT', body: edited })).status).toBe(403);
    expect(await json(await stack.call('/api/v1/policies', { role: 'admin', method: 'PUT', body: edited }), 200)).toMatchObject({ evidenceCount: 3, requiresApproval: true });
    const after = await json<Policy[]>(await stack.call('/api/v1/policies', { role: 'viewer' }), 200);
    expect(after.find((p) => p.contract === 'cicflowmeter' && p.attackClass === 'SSH-Patator')).toMatchObject({ evidenceCount: 3, requiresApproval: true });
    expect(await json(await stack.call('/api/v1/policies?contract=cicflowmeter&attackClass=SSH-Patator', { role: 'admin', method: 'DELETE' }), 200)).toEqual({ removed: true });
    const restored = await json<Policy[]>(await stack.call('/api/v1/policies', { role: 'viewer' }), 200);
    expect(restored.find((p) => p.contract === 'cicflowmeter' && p.attackClass === 'SSH-Patator')).toEqual(ssh);
    expect(await json(await stack.call('/api/v1/policies', { role: 'admin', method: 'PUT', body: { ...ssh, minConfidence: 2 } }), 400)).toMatchObject({ code: 'HTTP.INVALID_REQUEST' });
  });
});
