import { nextCursor } from './crowdsec.service';
import { crowdSecType, matchDecisions, streamFilter } from './crowdsec-query.matcher';
import { type CrowdSecDecision } from './crowdsec.schemas';

describe('bouncer stream cursor', () => {
  const t = (s: number): string => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();
  const at = (s: number): number => Date.parse(t(s));

  it('stays overlapMs behind the poll so a late-committed decision is answered on a later poll', () => {
    expect(nextCursor({ since: null, returned: t(30), polledAt: at(30), overlapMs: 5000 })).toBe(t(25));
    expect(nextCursor({ since: t(25), returned: t(29), polledAt: at(31), overlapMs: 5000 })).toBe(t(26));
  });

  it('catches up with the last change once the overlap has passed, and never moves backwards', () => {
    expect(nextCursor({ since: t(25), returned: t(28), polledAt: at(40), overlapMs: 5000 })).toBe(t(28));
    expect(nextCursor({ since: t(28), returned: t(28), polledAt: at(29), overlapMs: 5000 })).toBe(t(28));
    expect(nextCursor({ since: t(10), returned: t(50), polledAt: at(50), overlapMs: 0 })).toBe(t(50));
  });
});

describe('CrowdSec query matching', () => {
  const d = (value: string, extra: Partial<CrowdSecDecision> = {}): CrowdSecDecision => ({
    id: 1, uuid: value, origin: 'vigil', type: 'ban', scope: value.includes('/') ? 'Range' : 'Ip', value, duration: '1h0m0s', scenario: 'vigil/nsl-kdd/neptune', ...extra,
  });
  const all = [d('203.0.113.5'), d('10.213.0.0/16', { type: 'captcha' }), d('2001:db8:1:2::/64'), d('198.51.100.7', { scenario: 'vigil/manual/manual' })];
  const values = (q: Record<string, unknown>): string[] => matchDecisions(all, { contains: true, ...q }).map((x) => x.value);

  it('matches an ip to its own decision and to ranges containing it, in both families', () => {
    expect(values({ ip: '203.0.113.5' })).toEqual(['203.0.113.5']);
    expect(values({ ip: '10.213.200.1' })).toEqual(['10.213.0.0/16']);
    expect(values({ ip: '2001:db8:1:2:ffff::1' })).toEqual(['2001:db8:1:2::/64']);
    expect(values({ ip: '2001:db8:1:3::1' })).toEqual([]);
    expect(values({ ip: '::ffff:1.2.3.4' })).toEqual([]);
  });

  it('matches ranges by containment (contains=false: decisions inside the range), and scope/value/type exactly', () => {
    expect(values({ range: '10.213.4.0/24' })).toEqual(['10.213.0.0/16']);
    expect(values({ range: '10.0.0.0/8' })).toEqual([]);
    expect(values({ range: '10.0.0.0/8', contains: false })).toEqual(['10.213.0.0/16']);
    expect(values({ range: '203.0.113.0/24', contains: false })).toEqual(['203.0.113.5']);
    expect(values({ scope: 'ip', value: '198.51.100.7' })).toEqual(['198.51.100.7']);
    expect(values({ scope: 'RANGE' })).toEqual(['10.213.0.0/16', '2001:db8:1:2::/64']);
    expect(values({ type: 'captcha' })).toEqual(['10.213.0.0/16']);
    expect(() => values({ ip: '10.213.0.0/33' })).toThrow('is not an address or CIDR');
  });

  it('filters the stream by scopes and scenarios, and maps throttle to captcha', () => {
    const keep = streamFilter({ startup: false, scopes: ['ip'], scenarios_not_containing: ['manual'] });
    expect(all.filter(keep).map((x) => x.value)).toEqual(['203.0.113.5']);
    expect(crowdSecType('throttle')).toBe('captcha');
    expect(crowdSecType('ban')).toBe('ban');
  });
});
