import { type IpNetwork, formatIpNetwork } from '@vigil/remediation';

/**
 * nft scripts for Vigil's own table. Every address in a script is re-formatted from parsed
 * bits (formatIpNetwork), never copied from input, and the script goes to `nft -f -` on
 * stdin as one atomic transaction: no shell, no partial state.
 */
export const NFT_TABLE = 'vigil';
export type NftSetKind = 'ban' | 'throttle';
const KINDS: readonly NftSetKind[] = ['ban', 'throttle'];

export interface NftElement {
  readonly network: IpNetwork;
  readonly kind: NftSetKind;
  readonly timeoutSeconds: number;
}

export function setName(kind: NftSetKind, family: 4 | 6): string {
  return `${kind}_v${family}`;
}

function chain(name: 'input' | 'forward', pps: number): string[] {
  const meter = (family: 4 | 6) => {
    const key = family === 4 ? 'ip saddr' : 'ip6 saddr and ffff:ffff:ffff:ffff::';
    const match = family === 4 ? 'ip saddr' : 'ip6 saddr';
    // Per-source rate limit: each throttled source gets its own bucket in the meter.
    return `    ${match} @throttle_v${family} meter ${name}_throttle_v${family} size 65535 { ${key} timeout 60s limit rate over ${pps}/second burst ${pps} packets } drop`;
  };
  return [
    `  chain ${name} {`,
    `    type filter hook ${name} priority filter - 10; policy accept;`,
    '    ip saddr @ban_v4 drop',
    '    ip6 saddr @ban_v6 drop',
    meter(4),
    meter(6),
    '  }',
  ];
}

function elementText(element: NftElement): string {
  return `${formatIpNetwork(element.network)} timeout ${Math.max(1, Math.ceil(element.timeoutSeconds))}s`;
}

/** Replaces the whole table atomically with exactly these elements (start-up reconcile). */
export function replaceTableScript(args: { throttlePps: number; elements: readonly NftElement[] }): string {
  const sets = KINDS.flatMap((kind) => ([4, 6] as const).map((family) => {
    const type = family === 4 ? 'ipv4_addr' : 'ipv6_addr';
    return `  set ${setName(kind, family)} { type ${type}; flags interval, timeout; }`;
  }));
  const lines = [
    // `add` first so the `delete` never fails on a fresh kernel.
    `add table inet ${NFT_TABLE}`,
    `delete table inet ${NFT_TABLE}`,
    `table inet ${NFT_TABLE} {`,
    ...sets,
    ...chain('input', Math.floor(args.throttlePps)),
    ...chain('forward', Math.floor(args.throttlePps)),
    '}',
  ];
  for (const kind of KINDS) {
    for (const family of [4, 6] as const) {
      const members = args.elements.filter((e) => e.kind === kind && e.network.family === family);
      if (members.length > 0) lines.push(`add element inet ${NFT_TABLE} ${setName(kind, family)} { ${members.map(elementText).join(', ')} }`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Removes the network from a set whether or not the kernel still holds it. */
function removeLines(network: IpNetwork, kind: NftSetKind): string[] {
  const set = `inet ${NFT_TABLE} ${setName(kind, network.family)}`;
  const text = formatIpNetwork(network);
  return [`add element ${set} { ${text} }`, `delete element ${set} { ${text} }`];
}

/** Puts the element in its set with a fresh timeout (replacing an older one) and out of the other set. */
export function upsertElementScript(element: NftElement): string {
  const other: NftSetKind = element.kind === 'ban' ? 'throttle' : 'ban';
  const set = `inet ${NFT_TABLE} ${setName(element.kind, element.network.family)}`;
  return `${[
    ...removeLines(element.network, other),
    ...removeLines(element.network, element.kind),
    `add element ${set} { ${elementText(element)} }`,
  ].join('\n')}\n`;
}

export function removeElementScript(network: IpNetwork): string {
  return `${KINDS.flatMap((kind) => removeLines(network, kind)).join('\n')}\n`;
}
