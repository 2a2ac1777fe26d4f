import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface MinuteCount {
  minute: Date;
  contract: string;
  metric: 'flows' | 'flagged' | 'threats';
  class: string;
  model: string;
  count: number;
}

@Injectable()
export class StatsRepository {
  constructor(private readonly db: DataSource) {}

  async counts(args: { from: Date; to: Date; contract?: string }): Promise<MinuteCount[]> {
    const rows: (Omit<MinuteCount, 'count'> & { count: string })[] = await this.db.query(
      `SELECT minute, contract, metric, class, model, count FROM minute_counts
        WHERE minute >= $1 AND minute < $2 AND ($3::text IS NULL OR contract = $3)
        ORDER BY minute, contract, metric, class, model`,
      [args.from, args.to, args.contract ?? null],
    );
    return rows.map((r) => ({ ...r, count: Number(r.count) }));
  }
}
