import { Injectable } from '@nestjs/common';
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
  ) {}

  async stream(args: { keyId: string; query: StreamQuery; userAgent: string | null }): Promise<StreamAnswer> {
    const since = args.query.startup ? null : await this.cursors.get(args.keyId);
    const page = await this.selfHealing.ask<StreamPage>('decisionStream', since === null ? { startup: true } : { startup: false, since });
    const keep = streamFilter(args.query);
    const answer = { new: page.new.filter(keep).map(asCrowdSec), deleted: page.deleted.filter(keep).map(asCrowdSec) };
    // The cursor moves only once the page is built: a failed poll is answered again next time.
    await this.cursors.save({ keyId: args.keyId, cursor: page.cursor, userAgent: args.userAgent });
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
