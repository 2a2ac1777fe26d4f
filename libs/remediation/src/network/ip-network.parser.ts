import { isIPv4, isIPv6 } from 'node:net';
import { REMEDIATION_ERROR_CODES, RemediationError } from '../remediation.errors';

/** An IPv4 or IPv6 network: `base` has no host bits set. A single address is a /32 or /128. */
export interface IpNetwork {
  readonly family: 4 | 6;
  readonly base: bigint;
  readonly prefix: number;
}

const BITS = { 4: 32, 6: 128 } as const;

function v4ToBigInt(text: string): bigint {
  return text.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

function v6ToBigInt(text: string): bigint {
  let body = text;
  if (body.includes('.')) {
    // Embedded IPv4 (`::ffff:192.0.2.1`) is the last 32 bits: rewrite it as two groups.
    const cut = body.lastIndexOf(':');
    const v4 = v4ToBigInt(body.slice(cut + 1));
    body = `${body.slice(0, cut + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head = '', rest] = body.split('::');
  const groups = (part: string): bigint[] => (part === '' ? [] : part.split(':').map((g) => BigInt(`0x${g}`)));
  const left = groups(head);
  const right = rest === undefined ? [] : groups(rest);
  const zeros = Array<bigint>(8 - left.length - right.length).fill(0n);
  return [...left, ...zeros, ...right].reduce((acc, g) => (acc << 16n) | g, 0n);
}

function invalid(text: string, why: string): RemediationError {
  return new RemediationError({
    code: REMEDIATION_ERROR_CODES.InvalidAddress,
    message: `not a valid IP address or CIDR: ${JSON.stringify(text.slice(0, 80))} (${why})`,
    kind: 'invalid-input',
    details: { value: text.slice(0, 80) },
  });
}

const V4_MAPPED = 0xffffn << 32n;

/**
 * Parses `192.0.2.1`, `192.0.2.0/24`, `2001:db8::1`, `2001:db8::/48` strictly (node's own
 * address grammar; a zone id or anything else is refused). Host bits under the prefix are
 * cleared, and IPv4-mapped IPv6 becomes plain IPv4, so equal networks compare equal.
 */
export function parseIpNetwork(text: string): IpNetwork {
  const [address = '', prefixText, extra] = text.trim().split('/');
  if (extra !== undefined) throw invalid(text, 'more than one "/"');
  let family: 4 | 6;
  let value: bigint;
  if (isIPv4(address)) [family, value] = [4, v4ToBigInt(address)];
  else if (isIPv6(address) && !address.includes('%')) [family, value] = [6, v6ToBigInt(address)];
  else throw invalid(text, 'not an address');
  let prefix: number = BITS[family];
  if (prefixText !== undefined) {
    if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > BITS[family]) throw invalid(text, 'bad prefix length');
    prefix = Number(prefixText);
  }
  if (family === 6 && prefix >= 96 && value >> 32n === V4_MAPPED >> 32n) {
    return network(4, value & 0xffffffffn, prefix - 96);
  }
  return network(family, value, prefix);
}

function network(family: 4 | 6, value: bigint, prefix: number): IpNetwork {
  const hostBits = BigInt(BITS[family] - prefix);
  return { family, base: (value >> hostBits) << hostBits, prefix };
}

/** The network a source is acted on as: an IPv4 address itself, an IPv6 address's /64 (one host's usual allocation). */
export function actionableNetwork(address: IpNetwork): IpNetwork {
  if (address.family === 6 && address.prefix > 64) return network(6, address.base, 64);
  return address;
}

export function isSingleAddress(net: IpNetwork): boolean {
  return net.prefix === BITS[net.family];
}

/** True when `inner` lies wholly inside `outer`. */
export function networkContains(outer: IpNetwork, inner: IpNetwork): boolean {
  if (outer.family !== inner.family || inner.prefix < outer.prefix) return false;
  const shift = BigInt(BITS[outer.family] - outer.prefix);
  return inner.base >> shift === outer.base >> shift;
}

/** True when the two networks share any address. */
export function networksOverlap(a: IpNetwork, b: IpNetwork): boolean {
  return networkContains(a, b) || networkContains(b, a);
}

/** Canonical text: `192.0.2.1`, `192.0.2.0/24`, `2001:db8::/64`; built from the bits, never from input. */
export function formatIpNetwork(net: IpNetwork): string {
  const address = net.family === 4 ? formatV4(net.base) : formatV6(net.base);
  return isSingleAddress(net) ? address : `${address}/${net.prefix}`;
}

function formatV4(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join('.');
}

function formatV6(value: bigint): string {
  const groups = Array.from({ length: 8 }, (_, i) => ((value >> BigInt((7 - i) * 16)) & 0xffffn).toString(16));
  // The WHATWG URL parser writes RFC 5952 canonical IPv6 (longest zero run compressed).
  return new URL(`http://[${groups.join(':')}]`).hostname.slice(1, -1);
}
