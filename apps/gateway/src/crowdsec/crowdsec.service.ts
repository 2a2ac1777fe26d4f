import { Inject, Injectable } from '@nestjs/common';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config';
import { InvalidRequestError } from '../http/http.errors';
import { SelfHealingRequests } from '../decisions/self-healing-requests.service';
import { BouncerCursorRepository } from './bouncer-cursor.repository';
import { crowdSecType, matchDecisions, QueryTargetError, streamFilter } from './crowdsec-query.matcher';
import { type CrowdSecDecision, type DecisionsQuery, type StreamAnswer, type StreamQuery } from './crowdsec.schemas';

interface StreamPage {
  new: CrowdSecDecision[];
  deleted: CrowdSecDecision[];
  cursor: string;
}

/**
 * The cursor a bouncer's next poll starts from. Self-healing stamps a decision before its
 * transaction commits, so a poll can miss a decision stamped just before its cursor; keeping the
 * cursor `overlapMs` behind the poll's wall clock answers such a decision on a later poll. The
 * price: a change is re-sent for up to `overlapMs` (bouncers apply decisions idempotently).
 * The cursor never moves backwards.
 */
export function nextCursor(args: { since: string | null; returned: string; polledAt: number; overlapMs: number }): string {
  const floor = args.since === null ? -Infinity : Date.parse(args.since);
  return new Date(Math.max(floor, Math.min(Date.parse(args.returned), args.polledAt - args.overlapMs))).toISOString();
}

const asCrowdSec = (d: CrowdSecDecision): CrowdSecDecision => ({ ...d, type: crowdSecType(d.type) });

/**
 * CrowdSec's Local API for bouncers over self-healing's decision stream. Every bouncer key keeps
 * its own cursor: `startup=true` (or a key never seen) answers every decision in force and
 * starts the cursor; later polls answer what came into force (`new`) and left it (`deleted`)
 * since that key's previous poll.
 */
@Injectable()
export class CrowdSecService {
  constructor(
    private readonly selfHealing: SelfHealingRequests,
    private readonly cursors: BouncerCursorRepository,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  async stream(args: { keyId: string; query: StreamQuery; userAgent: string | null }): Promise<StreamAnswer> {
    const polledAt = Date.now();
    const since = args.query.startup ? null : await this.cursors.get(args.keyId);
    const page = await this.selfHealing.ask<StreamPage>('decisionStream', since === null ? { startup: true } : { startup: false, since });
    const keep = streamFilter(args.query);
    const answer = { new: page.new.filter(keep).map(asCrowdSec), deleted: page.deleted.filter(keep).map(asCrowdSec) };
    // The cursor moves only once the page is built: a failed poll is answered again next time.
    const cursor = nextCursor({ since, returned: page.cursor, polledAt, overlapMs: this.config.crowdsecCursorOverlapMs });
    await this.cursors.save({ keyId: args.keyId, cursor, userAgent: args.userAgent });
    return answer;
  }

  async query(query: DecisionsQuery): Promise<CrowdSecDecision[]> {
    const page = await this.selfHealing.ask<StreamPage>('decisionStream', { startup: true });
    try {
      return matchDecisions(page.new.map(asCrowdSec), query);
    } catch (err) {
      if (err instanceof QueryTargetError) throw new InvalidRequestError(err.message, { ip: query.ip ?? null, range: query.range ?? null }, 'CROWDSEC.INVALID_TARGET');
      throw err;
    }
  }
}
