import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '../config/self-healing.tokens';
import { type DecisionEntity } from './decision.entity';
import { DecisionRepository } from './decision.repository';
import { isEnforced } from './decision.transitions';

/** One decision in the CrowdSec Local API's JSON format (what bouncers read). */
export interface CrowdSecDecision {
  readonly id: number;
  readonly uuid: string;
  readonly origin: 'vigil';
  readonly type: 'ban' | 'throttle';
  readonly scope: 'Ip' | 'Range';
  readonly value: string;
  /** Go duration left, e.g. `3h59m58s`; bouncers use it as the element timeout. */
  readonly duration: string;
  readonly scenario: string;
}

export interface DecisionStreamPage {
  readonly new: CrowdSecDecision[];
  readonly deleted: CrowdSecDecision[];
  /** Pass back as `since` on the next poll. */
  readonly cursor: string;
}

function goDuration(ms: number): string {
  const total = Math.max(1, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `${h > 0 ? `${h}h` : ''}${h > 0 || m > 0 ? `${m}m` : ''}${s}s`;
}

// CrowdSec ids are integers; 48 bits of the uuid keep them stable and distinct in practice.
function numericId(uuid: string): number {
  return Number.parseInt(uuid.replace(/-/g, '').slice(0, 12), 16);
}

function toCrowdSec(decision: DecisionEntity, now: Date): CrowdSecDecision {
  return {
    id: numericId(decision.id),
    uuid: decision.id,
    origin: 'vigil',
    // CrowdSec bouncers know ban (and captcha); throttle is passed through for bouncers that rate-limit.
    type: decision.action === 'throttle' ? 'throttle' : 'ban',
    scope: decision.scope === 'range' ? 'Range' : 'Ip',
    value: decision.value,
    duration: goDuration(decision.expiresAt.getTime() - now.getTime()),
    scenario: `vigil/${decision.reason.contract ?? 'manual'}/${decision.reason.attackClass}`,
  };
}

/**
 * The `/v1/decisions/stream` feed: with `startup`, every decision in force; otherwise what
 * came into force and what left it since the cursor. The gateway serves it over HTTP.
 */
@Injectable()
export class DecisionStreamService {
  constructor(@Inject(CLOCK) private readonly clock: Clock, private readonly repository: DecisionRepository) {}

  async page(args: { startup: boolean; since?: string }): Promise<DecisionStreamPage> {
    const now = this.clock.now();
    const ipScoped = (d: DecisionEntity): boolean => d.scope !== 'pod';
    if (args.startup || args.since === undefined) {
      const enforced = (await this.repository.listEnforced()).filter(ipScoped);
      return { new: enforced.map((d) => toCrowdSec(d, now)), deleted: [], cursor: now.toISOString() };
    }
    const changed = (await this.repository.changedSince(new Date(args.since))).filter(ipScoped);
    const cursor = changed.reduce((latest, d) => (d.updatedAt > latest ? d.updatedAt : latest), new Date(args.since));
    return {
      new: changed.filter(isEnforced).map((d) => toCrowdSec(d, now)),
      deleted: changed.filter((d) => !isEnforced(d) && d.action !== 'alert').map((d) => toCrowdSec(d, now)),
      cursor: cursor.toISOString(),
    };
  }
}
