import { Injectable } from '@nestjs/common';
import { type MinuteCount, StatsRepository } from './stats.repository';
import { type Stats, type StatsQuery } from './stats.schemas';

@Injectable()
export class StatsService {
  constructor(private readonly repository: StatsRepository) {}

  async stats(query: StatsQuery, now = new Date()): Promise<Stats> {
    const to = query.to ?? now;
    const from = query.from ?? new Date(to.getTime() - query.windowMinutes * 60_000);
    const counts = await this.repository.counts({ from: floorMinute(from), to, contract: query.contract });
    return { from: from.toISOString(), to: to.toISOString(), ...summarise(counts) };
  }
}

export function summarise(counts: readonly MinuteCount[]): Pick<Stats, 'series' | 'totals'> {
  const totals: Stats['totals'] = { flows: 0, flagged: 0, threats: 0, detectionRate: null, byContract: {}, byClass: {}, byModel: {} };
  for (const c of counts) {
    totals[c.metric] += c.count;
    const contract = (totals.byContract[c.contract] ??= { flows: 0, flagged: 0, threats: 0 });
    contract[c.metric] += c.count;
    if (c.metric === 'threats') totals.byClass[c.class] = (totals.byClass[c.class] ?? 0) + c.count;
    if (c.metric !== 'flagged') totals.byModel[c.model] = (totals.byModel[c.model] ?? 0) + c.count;
  }
  totals.detectionRate = totals.flows > 0 ? totals.flagged / totals.flows : null;
  return { series: counts.map((c) => ({ ...c, minute: c.minute.toISOString() })), totals };
}

function floorMinute(d: Date): Date {
  return new Date(Math.floor(d.getTime() / 60_000) * 60_000);
}
