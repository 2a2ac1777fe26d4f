import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Each bouncer key's place in the decision stream (gateway schema, `bouncer_cursors`). */
@Injectable()
export class BouncerCursorRepository {
  constructor(private readonly db: DataSource) {}

  async get(keyId: string): Promise<string | null> {
    const rows: { cursor: Date }[] = await this.db.query('SELECT cursor FROM bouncer_cursors WHERE key_id = $1', [keyId]);
    return rows[0] === undefined ? null : rows[0].cursor.toISOString();
  }

  async save(args: { keyId: string; cursor: string; userAgent: string | null }): Promise<void> {
    await this.db.query(
      `INSERT INTO bouncer_cursors (key_id, cursor, last_pull_at, user_agent) VALUES ($1, $2, now(), $3)
       ON CONFLICT (key_id) DO UPDATE SET cursor = EXCLUDED.cursor, last_pull_at = now(), user_agent = EXCLUDED.user_agent`,
      [args.keyId, args.cursor, args.userAgent?.slice(0, 200) ?? null],
    );
  }
}
