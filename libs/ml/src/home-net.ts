// A deployment's home network (Suricata's HOME_NET): a list of IPv4/IPv6 CIDRs, parsed once
// into 128-bit prefixes so each membership test is a few integer compares.
import { TrainingInputError } from './training.errors';

interface Prefix {
  readonly words: Uint32Array;
  readonly bits: number;
}

export interface HomeNet {
  readonly cidrs: readonly string[];
  contains(ip: string): boolean;
}

function parseV4(ip: string): number[] | null {
  const parts = ip.split('.');
  if (parts.length !== 4) return null;
  const bytes = parts.map((p) => (/^\d{1,3}$/.test(p) ? Number(p) : NaN));
  if (bytes.some((b) => !(b >= 0 && b <= 255))) return null;
  return bytes;
}

function parseV6(ip: string): number[] | null {
  const zone = ip.indexOf('%');
  const text = zone >= 0 ? ip.slice(0, zone) : ip;
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const group = (s: string): number[] | null => {
    if (s === '') return [];
    const out: number[] = [];
    for (const g of s.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const head = group(halves[0]);
  const tail = halves.length === 2 ? group(halves[1]) : [];
  if (head === null || tail === null) return null;
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 1 && missing !== 0) || missing < 0) return null;
  return [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
}

/** An address as four 32-bit words (IPv4 as IPv4-mapped IPv6), or null when it is not an IP. */
export function ipWords(ip: string): Uint32Array | null {
  const v4 = parseV4(ip.trim());
  // IPv4 as the IPv4-mapped IPv6 address ::ffff:a.b.c.d.
  if (v4) return Uint32Array.from([0, 0, 0xffff, ((v4[0] << 24) | (v4[1] << 16) | (v4[2] << 8) | v4[3]) >>> 0]);
  const v6 = parseV6(ip.trim());
  if (!v6) return null;
  return Uint32Array.from([0, 1, 2, 3], (w) => ((v6[2 * w] << 16) | v6[2 * w + 1]) >>> 0);
}

function parseCidr(cidr: string): Prefix {
  const [addr, len, extra] = cidr.trim().split('/');
  const words = ipWords(addr ?? '');
  const isV4 = parseV4((addr ?? '').trim()) !== null;
  const max = isV4 ? 32 : 128;
  const bits = len === undefined ? max : /^\d{1,3}$/.test(len) ? Number(len) : NaN;
  if (!words || extra !== undefined || !(bits >= 0 && bits <= max)) {
    throw new TrainingInputError(`"${cidr}" is not an IPv4 or IPv6 CIDR`, { cidr });
  }
  return { words, bits: isV4 ? bits + 96 : bits };
}

function matches(prefix: Prefix, ip: Uint32Array): boolean {
  let left = prefix.bits;
  for (let w = 0; w < 4 && left > 0; w++, left -= 32) {
    const take = Math.min(32, left);
    const mask = take === 32 ? 0xffffffff : ~(0xffffffff >>> take) >>> 0;
    if (((prefix.words[w] ^ ip[w]) & mask) >>> 0 !== 0) return false;
  }
  return true;
}

// A network shows the same addresses again and again; parsing each one costs more than the
// model's own input gather, so answers are remembered (bounded: cleared when full).
const MEMO_SIZE = 65_536;

/** Parses a CIDR list; throws ML.TRAINING_INPUT_INVALID naming the first bad entry. */
export function parseHomeNet(cidrs: readonly string[]): HomeNet {
  const prefixes = cidrs.map(parseCidr);
  const memo = new Map<string, boolean>();
  return {
    cidrs: [...cidrs],
    contains(ip: string): boolean {
      const known = memo.get(ip);
      if (known !== undefined) return known;
      const words = ipWords(ip);
      const inside = words !== null && prefixes.some((p) => matches(p, words));
      if (memo.size >= MEMO_SIZE) memo.clear();
      memo.set(ip, inside);
      return inside;
    },
  };
}
