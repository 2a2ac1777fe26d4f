import { parseArgs } from 'node:util';
import { DEFAULT_DATABASE_URL, loadConfig, serviceSchemaName, sharedEnvShape } from '@vigil/config';
import { API_KEY_ROLES, apiKeyRoleSchema, generateApiKey } from '@vigil/contracts';
import { createDataSource } from '@vigil/database';
import { VigilError } from '@vigil/errors';
import { type DataSource } from 'typeorm';
import { z } from 'zod';
import { CliUsageError, type CliCommand, type CliIo } from '../command/cli-command';

const usage = `Usage: vigil keys create --role ROLE [--name NAME]
       vigil keys list
       vigil keys revoke ID

Manages the gateway's API keys directly in its Postgres schema (DATABASE_URL, DATABASE_SCHEMA_PREFIX).
A new key is printed once; only its sha256 is stored. Roles: ${API_KEY_ROLES.join(', ')}
(viewer < operator < admin; bouncer reads only the decision stream).
The first admin key of a fresh install: \`vigil migrate\`, then \`vigil keys create --role admin\`.
`;

export class KeysError extends VigilError {}

const envSchema = z.object({ DATABASE_URL: sharedEnvShape.DATABASE_URL, DATABASE_SCHEMA_PREFIX: sharedEnvShape.DATABASE_SCHEMA_PREFIX });

async function withGatewaySchema<T>(env: CliIo['env'], fn: (db: DataSource) => Promise<T>): Promise<T> {
  const config = loadConfig(envSchema, { DATABASE_URL: DEFAULT_DATABASE_URL, ...env });
  const db = createDataSource({ url: config.DATABASE_URL, schema: serviceSchemaName('gateway', config.DATABASE_SCHEMA_PREFIX), poolSize: 1 });
  await db.initialize();
  try {
    return await fn(db);
  } catch (err) {
    if ((err as { code?: string }).code === '42P01') {
      throw new KeysError({ code: 'KEYS.NOT_MIGRATED', kind: 'unavailable', message: 'the gateway schema has no api_keys table; run `vigil migrate --service gateway` first' });
    }
    throw err;
  } finally {
    await db.destroy();
  }
}

async function create(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { role: { type: 'string' }, name: { type: 'string' } }, strict: true });
  const role = apiKeyRoleSchema.safeParse(values.role);
  if (!role.success) throw new CliUsageError(`--role must be one of ${API_KEY_ROLES.join(', ')}`);
  const name = values.name ?? `${role.data}-key`;
  const key = generateApiKey();
  await withGatewaySchema(io.env, (db) => db.query('INSERT INTO api_keys (id, name, role, secret_hash) VALUES ($1, $2, $3, $4)', [key.id, name, role.data, key.secretHash]));
  io.stderr.write(`created ${role.data} key ${key.id} (${name}); it is shown once, store it now:\n`);
  io.stdout.write(`${key.key}\n`);
  return 0;
}

async function list(io: CliIo): Promise<number> {
  const rows: { id: string; name: string; role: string; created_at: Date; last_used_at: Date | null; revoked_at: Date | null }[] = await withGatewaySchema(io.env, (db) =>
    db.query('SELECT id, name, role, created_at, last_used_at, revoked_at FROM api_keys ORDER BY created_at'),
  );
  io.stdout.write(`${['ID', 'ROLE', 'NAME', 'CREATED', 'LAST USED', 'REVOKED'].join('\t')}\n`);
  for (const r of rows) {
    io.stdout.write(`${[r.id, r.role, r.name, r.created_at.toISOString(), r.last_used_at?.toISOString() ?? '-', r.revoked_at?.toISOString() ?? '-'].join('\t')}\n`);
  }
  return 0;
}

async function revoke(argv: string[], io: CliIo): Promise<number> {
  const id = argv[0];
  if (id === undefined || !/^[0-9a-f]{16}$/.test(id)) throw new CliUsageError('revoke needs the key id (16 hex, as `vigil keys list` shows it)');
  const rows: unknown[] = await withGatewaySchema(io.env, (db) => db.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING id', [id]));
  const changed = Array.isArray(rows[0]) ? (rows[0] as unknown[]).length : rows.length;
  if (changed === 0) {
    io.stderr.write(`no active key ${id}\n`);
    return 1;
  }
  io.stderr.write(`revoked ${id} (gateways stop accepting it within GATEWAY_KEY_CACHE_MS)\n`);
  return 0;
}

export const keysCommand: CliCommand = {
  name: 'keys',
  summary: 'Create, list and revoke gateway API keys',
  usage,
  async run(argv, io) {
    const [sub, ...rest] = argv;
    try {
      switch (sub) {
        case 'create':
          return await create(rest, io);
        case 'list':
          return await list(io);
        case 'revoke':
          return await revoke(rest, io);
        default:
          throw new CliUsageError(sub === undefined ? 'name a sub-command: create, list or revoke' : `unknown sub-command "${sub}"`);
      }
    } catch (err) {
      if (err instanceof TypeError && (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) throw new CliUsageError(err.message);
      throw err;
    }
  },
};
