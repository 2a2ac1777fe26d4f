import { BlockList, isIP } from 'node:net';
import { type CrowdSecDecision, type DecisionsQuery, type StreamQuery } from './crowdsec.schemas';

interface Network {
  address: string;
  prefix: number;
  family: 'ipv4' | 'ipv6';
}

function network(text: string): Network | null {
  const [address, bits] = text.split('/');
  const version = isIP(address ?? '');
  if (version === 0) return null;
  const max = version === 4 ? 32 : 128;
  const prefix = bits === undefined ? max : Number(bits);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) return null;
  return { address: address!, prefix, family: version === 4 ? 'ipv4' : 'ipv6' };
}

/** Whether network `outer` holds all of `inner` (same family, no larger, its first address inside). */
function holds(outer: Network, inner: Network): boolean {
  if (outer.family !== inner.family || outer.prefix > inner.prefix) return false;
  const list = new BlockList();
  list.addSubnet(outer.address, outer.prefix, outer.family);
  return list.check(inner.address, inner.family);
}

/** The same bad input CrowdSec refuses: an `ip`/`range` that does not parse. */
export class QueryTargetError extends Error {}

/**
 * CrowdSec's `GET /v1/decisions` filters over the decisions in force: `ip` and `range` match
 * decisions containing them (`contains=false`: decisions inside them), `scope`/`value`/`type`
 * match exactly (scope case-insensitively).
 */
export function matchDecisions(all: readonly CrowdSecDecision[], query: DecisionsQuery): CrowdSecDecision[] {
  const targetText = query.ip ?? query.range;
  const target = targetText === undefined ? undefined : network(targetText);
  if (target === null) throw new QueryTargetError(`${query.ip !== undefined ? 'ip' : 'range'} "${targetText}" is not an address or CIDR`);
  return all.filter((d) => {
    if (query.scope !== undefined && d.scope.toLowerCase() !== query.scope.toLowerCase()) return false;
    if (query.value !== undefined && d.value !== query.value) return false;
    if (query.type !== undefined && d.type !== query.type) return false;
    if (query.origins !== undefined && !query.origins.includes(d.origin)) return false;
    if (target === undefined) return true;
    const own = network(d.value);
    if (own === null) return false;
    return query.contains ? holds(own, target) : holds(target, own);
  });
}

/** The stream's own filters (`scopes`, `origins`, `scenarios_containing`, `scenarios_not_containing`). */
export function streamFilter(query: StreamQuery): (d: CrowdSecDecision) => boolean {
  const scopes = query.scopes.map((s) => s.toLowerCase());
  return (d) =>
    scopes.includes(d.scope.toLowerCase()) &&
    (query.origins === undefined || query.origins.includes(d.origin)) &&
    (query.scenarios_containing === undefined || query.scenarios_containing.some((s) => d.scenario.includes(s))) &&
    (query.scenarios_not_containing === undefined || !query.scenarios_not_containing.some((s) => d.scenario.includes(s)));
}

/** Vigil's throttle is CrowdSec's soft remediation, `captcha`; ban stays ban. */
export function crowdSecType(vigilType: string): string {
  return vigilType === 'throttle' ? 'captcha' : vigilType;
}
