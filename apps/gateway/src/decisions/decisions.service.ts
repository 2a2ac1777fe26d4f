import { Injectable } from '@nestjs/common';
import { type Decision } from '@vigil/contracts';
import { type DecisionPage, type ListDecisionsQuery } from './decisions.schemas';
import { SelfHealingRequests } from './self-healing-requests.service';

const SCAN_PAGE = 1000;
/** Filters self-healing cannot apply (scope, time) scan at most this many decisions, newest first. */
const SCAN_LIMIT = 50_000;

/**
 * Decision listing. Status, action and value filter in self-healing; scope and the time window
 * filter here, over self-healing's newest-first pages, stopping at the first decision older
 * than `from` (the order is by creation time).
 */
@Injectable()
export class DecisionsService {
  constructor(private readonly selfHealing: SelfHealingRequests) {}

  async list(query: ListDecisionsQuery): Promise<DecisionPage> {
    const remote = { ...(query.status ? { status: query.status } : {}), ...(query.action ? { action: query.action } : {}), ...(query.value ? { value: query.value } : {}) };
    const local = query.scope !== undefined || query.from !== undefined || query.to !== undefined;
    const items = local
      ? await this.scan(remote, query)
      : await this.selfHealing.ask<Decision[]>('listDecisions', { ...remote, limit: query.limit, offset: query.offset });
    return { items, limit: query.limit, offset: query.offset, nextOffset: items.length === query.limit ? query.offset + query.limit : null };
  }

  private async scan(remote: Record<string, unknown>, query: ListDecisionsQuery): Promise<Decision[]> {
    const from = query.from === undefined ? -Infinity : Date.parse(query.from);
    const to = query.to === undefined ? Infinity : Date.parse(query.to);
    const matches: Decision[] = [];
    for (let offset = 0; offset < SCAN_LIMIT; offset += SCAN_PAGE) {
      const page = await this.selfHealing.ask<Decision[]>('listDecisions', { ...remote, limit: SCAN_PAGE, offset });
      for (const d of page) {
        const at = Date.parse(d.createdAt);
        if (at < from) return matches.slice(query.offset, query.offset + query.limit);
        if (at <= to && (query.scope === undefined || d.scope === query.scope)) matches.push(d);
      }
      if (page.length < SCAN_PAGE || matches.length >= query.offset + query.limit) break;
    }
    return matches.slice(query.offset, query.offset + query.limit);
  }
}
