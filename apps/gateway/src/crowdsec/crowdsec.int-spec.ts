// CrowdSec Local API compatibility against a real gateway and a real self-healing process:
// the stream's startup/delta semantics with a cursor per bouncer key, the query filters, the
// JSON format bouncers parse.
import { type Decision } from '@vigil/contracts';
import { expectEventually } from '@vigil/testing';
import { startGatewayStack, type GatewayStack } from '../testing/gateway-stack.fixture';
import { type CrowdSecDecision } from './crowdsec.schemas';

describe('CrowdSec bouncer API (/v1/decisions)', () => {
  let stack: GatewayStack;

  beforeAll(async () => {
    stack = await startGatewayStack({ services: ['self-healing'], gatewayEnv: { GATEWAY_CROWDSEC_CURSOR_OVERLAP_MS: '300' } });
    expect((await stack.call('/api/v1/simulation', { method: 'PUT', body: { enabled: false } })).status).toBe(200);
  }, 90_000);
  afterAll(() => stack?.stop());

  const ban = async (value: string, action = 'ban', durationSeconds = 3600): Promise<Decision> => {
    const res = await stack.call('/api/v1/decisions', { role: 'operator', body: { value, action, durationSeconds } });
    expect(res.status).toBe(201);
    return (await res.json()) as Decision;
  };
  const stream = async (key: string, query: string): Promise<{ new: CrowdSecDecision[]; deleted: CrowdSecDecision[] }> => {
    const res = await stack.call(`/v1/decisions/stream?${query}`, { key, headers: { 'user-agent': 'crowdsec-firewall-bouncer/v0.0.25' } });
    expect(res.status).toBe(200);
    return (await res.json()) as { new: CrowdSecDecision[]; deleted: CrowdSecDecision[] };
  };

  /** Polls until a poll answers nothing (the cursor overlap has passed); what every poll answered, by value. */
  const drain = async (key: string): Promise<{ new: string[]; deleted: string[] }> => {
    const seen = { new: new Set<string>(), deleted: new Set<string>() };
    await expectEventually(async () => {
      const page = await stream(key, 'startup=false');
      page.new.forEach((d) => seen.new.add(d.value));
      page.deleted.forEach((d) => seen.deleted.add(d.value));
      expect(page).toEqual({ new: [], deleted: [] });
    }, { timeoutMs: 5_000, intervalMs: 100 });
    return { new: [...seen.new].sort(), deleted: [...seen.deleted].sort() };
  };

  it('streams every decision in force at startup, then only changes since that bouncer last polled', async () => {
    const a = await ban('203.0.113.10', 'ban', 4 * 3600);
    const r = await ban('198.51.100.0/24', 'throttle', 600);
    const first = await stream(stack.keys.bouncer, 'startup=true');
    expect(first.deleted).toEqual([]);
    expect(first.new).toEqual(expect.arrayContaining([
      { id: expect.any(Number), uuid: a.id, origin: 'vigil', type: 'ban', scope: 'Ip', value: '203.0.113.10', duration: expect.stringMatching(/^3h59m\d+s$|^4h0m0s$/), scenario: 'vigil/manual/manual' },
      expect.objectContaining({ uuid: r.id, type: 'captcha', scope: 'Range', value: '198.51.100.0/24', duration: expect.stringMatching(/^(9m\d+s|10m0s)$/) }),
    ]));
    expect(first.new).toHaveLength(2);
    // Polls right after startup may answer them again (the cursor overlap), then nothing.
    expect((await drain(stack.keys.bouncer)).deleted).toEqual([]);

    const b = await ban('203.0.113.11');
    const revoke = await stack.call(`/api/v1/decisions/${a.id}/revoke`, { role: 'operator', body: {} });
    expect(revoke.status).toBe(200);
    expect(await drain(stack.keys.bouncer)).toEqual({ new: ['203.0.113.11'], deleted: ['203.0.113.10'] });

    // Another bouncer has its own cursor: its first poll (never seen) gets everything in force.
    const other = await stack.addKey('bouncer', 'nginx-bouncer');
    const fresh = await stream(other, 'startup=false');
    expect(fresh.new.map((d) => d.value).sort()).toEqual(['198.51.100.0/24', '203.0.113.11']);
    expect((await stream(other, 'scopes=ip&startup=true')).new.map((d) => d.value)).toEqual(['203.0.113.11']);
    await stack.call(`/api/v1/decisions/${b.id}/revoke`, { role: 'operator', body: {} });
    await stack.call(`/api/v1/decisions/${r.id}/revoke`, { role: 'operator', body: {} });
    expect(await drain(stack.keys.bouncer)).toEqual({ new: [], deleted: ['198.51.100.0/24', '203.0.113.11'] });
  });

  it('answers GET /v1/decisions by ip (inside a range too), range, scope/value and type; null when nothing matches; HEAD 200', async () => {
    await ban('203.0.113.20');
    await ban('2001:db8:5::/64');
    await ban('198.18.0.0/16', 'throttle');
    const get = async (query: string): Promise<CrowdSecDecision[] | null> => {
      const res = await stack.call(`/v1/decisions?${query}`, { key: stack.keys.bouncer });
      expect(res.status).toBe(200);
      return (await res.json()) as CrowdSecDecision[] | null;
    };
    expect((await get('ip=203.0.113.20'))?.map((d) => d.value)).toEqual(['203.0.113.20']);
    expect(await get('ip=203.0.113.21')).toBeNull();
    expect((await get('ip=198.18.7.9'))?.map((d) => [d.value, d.type])).toEqual([['198.18.0.0/16', 'captcha']]);
    expect((await get('ip=2001:db8:5::42'))?.map((d) => d.value)).toEqual(['2001:db8:5::/64']);
    expect((await get('range=198.18.4.0/24'))?.map((d) => d.value)).toEqual(['198.18.0.0/16']);
    expect((await get('range=203.0.113.0/24&contains=false'))?.map((d) => d.value)).toEqual(['203.0.113.20']);
    expect((await get('scope=ip&value=203.0.113.20'))?.map((d) => d.value)).toEqual(['203.0.113.20']);
    expect((await get('type=captcha'))?.map((d) => d.value)).toEqual(['198.18.0.0/16']);
    const bad = await stack.call('/v1/decisions?ip=not-an-ip', { key: stack.keys.bouncer });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 'CROWDSEC.INVALID_TARGET', message: expect.stringContaining('not-an-ip') });
    const head = await stack.call('/v1/decisions?ip=1.2.3.4', { key: stack.keys.bouncer, method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    expect((await stack.call('/v1/decisions', { role: 'viewer' })).status).toBe(403);
    expect((await stack.call('/v1/decisions/stream', { role: 'admin' })).status).toBe(200);
  });
});
