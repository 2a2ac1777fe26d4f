import { Inject, Injectable } from '@nestjs/common';
import { networkInterfaces } from 'node:os';
import { LOOPBACK_NETWORKS, formatIpNetwork, networksOverlap, parseIpNetwork, type IpNetwork } from '@vigil/remediation';
import { SELF_HEALING_CONFIG } from '../config/self-healing.tokens';
import { type SelfHealingConfig } from '../config/self-healing.config';
import { asSelfHealingError } from '../self-healing.errors';
import { AllowlistRepository } from './allowlist.repository';

export interface AllowlistView {
  readonly cidr: string;
  readonly source: 'builtin' | 'node' | 'config' | 'cluster' | 'gateway-clients' | 'stored';
  readonly note: string;
}

/** The node's own addresses, so Vigil never locks out the host it runs on. */
export function nodeAddresses(): string[] {
  return Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((info) => info.address.split('%')[0] ?? ''));
}

/**
 * Networks nothing may act on. Built-in, node and config entries are fixed at boot; stored
 * ones are edited through the API. A target is allowlisted when it overlaps any entry, so
 * banning an IPv6 /64 that holds an allowlisted address is refused too.
 */
@Injectable()
export class AllowlistService {
  private fixed: { view: AllowlistView; net: IpNetwork }[] = [];
  private stored: { view: AllowlistView; net: IpNetwork }[] = [];

  constructor(
    @Inject(SELF_HEALING_CONFIG) private readonly config: SelfHealingConfig,
    private readonly repository: AllowlistRepository,
  ) {
    const entry = (cidr: string, source: AllowlistView['source']) => {
      let net: IpNetwork;
      try {
        net = parseIpNetwork(cidr);
      } catch (error) {
        throw asSelfHealingError(error);
      }
      return { view: { cidr: formatIpNetwork(net), source, note: '' }, net };
    };
    this.fixed = [
      ...LOOPBACK_NETWORKS.map((c) => entry(c, 'builtin')),
      ...nodeAddresses().filter((a) => a !== '').map((c) => entry(c, 'node')),
      ...config.allowlist.map((c) => entry(c, 'config')),
      ...config.clusterCidrs.map((c) => entry(c, 'cluster')),
      ...config.gatewayClients.map((c) => entry(c, 'gateway-clients')),
    ];
  }

  async refresh(): Promise<void> {
    const rows = await this.repository.list();
    this.stored = rows.map((row) => ({ view: { cidr: row.cidr, source: 'stored' as const, note: row.note }, net: parseIpNetwork(row.cidr) }));
  }

  /** The first entry covering the target, or undefined. */
  match(target: IpNetwork): AllowlistView | undefined {
    return [...this.fixed, ...this.stored].find((entry) => networksOverlap(entry.net, target))?.view;
  }

  list(): AllowlistView[] {
    return [...this.fixed, ...this.stored].map((entry) => entry.view);
  }

  async add(args: { cidr: string; note: string; actor: string; at: Date }): Promise<AllowlistView> {
    const cidr = formatIpNetwork(parseIpNetwork(args.cidr));
    await this.repository.add({ cidr, note: args.note, createdAt: args.at, createdBy: args.actor });
    await this.refresh();
    return { cidr, source: 'stored', note: args.note };
  }

  async remove(cidr: string): Promise<boolean> {
    const removed = await this.repository.remove(formatIpNetwork(parseIpNetwork(cidr)));
    await this.refresh();
    return removed;
  }
}
