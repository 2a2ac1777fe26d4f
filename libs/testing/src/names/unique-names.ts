import { randomBytes } from 'node:crypto';

/** A name no other test run uses: `<prefix>_<random hex>`, safe as a NATS token or SQL identifier. */
export function uniqueName(prefix = 'test'): string {
  return `${prefix}_${randomBytes(5).toString('hex')}`;
}

/** A fresh Postgres schema name (lowercase, unquoted-safe). Drop it in afterAll. */
export function freshSchemaName(prefix = 'test'): string {
  return uniqueName(prefix.toLowerCase().replace(/[^a-z0-9_]/g, '_'));
}
