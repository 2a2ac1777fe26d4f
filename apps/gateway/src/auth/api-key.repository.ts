import { Injectable } from '@nestjs/common';
import { type ApiKeyRole } from '@vigil/contracts';
import { DataSource } from 'typeorm';

export interface StoredApiKey {
  id: string;
  name: string;
  role: ApiKeyRole;
  secretHash: Buffer;
  revoked: boolean;
}

@Injectable()
export class ApiKeyRepository {
  constructor(private readonly db: DataSource) {}

  async find(id: string): Promise<StoredApiKey | null> {
    const rows: { id: string; name: string; role: ApiKeyRole; secret_hash: Buffer; revoked_at: Date | null }[] = await this.db.query(
      'SELECT id, name, role, secret_hash, revoked_at FROM api_keys WHERE id = $1', [id],
    );
    const row = rows[0];
    return row === undefined ? null : { id: row.id, name: row.name, role: row.role, secretHash: row.secret_hash, revoked: row.revoked_at !== null };
  }

  async touch(id: string): Promise<void> {
    await this.db.query('UPDATE api_keys SET last_used_at = now() WHERE id = $1', [id]);
  }
}
