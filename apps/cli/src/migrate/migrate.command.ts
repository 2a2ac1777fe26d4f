import { parseArgs } from 'node:util';
import {
  DEFAULT_DATABASE_URL,
  SERVICE_NAMES,
  isServiceName,
  loadConfig,
  redactUrl,
  serviceSchemaName,
  sharedEnvShape,
  type ServiceName,
} from '@vigil/config';
import { createDataSource, migrationsFor, revertAll, runMigrations } from '@vigil/database';
import { VigilError } from '@vigil/errors';
import { z } from 'zod';
import { CliUsageError, type CliCommand, type CliIo } from '../command/cli-command';

const usage = `Usage: vigil migrate [--service NAME|all] [--revert] [--database-url URL] [--schema-prefix PREFIX]

Applies every pending migration of each service's own Postgres schema (idempotent: an
up-to-date schema is left alone). Services never migrate themselves at start-up.

Options:
  --service NAME|all     one of ${SERVICE_NAMES.join(', ')}, or all (default: all)
  --revert               undo every applied migration of the named service(s), newest first;
                         needs an explicit --service
  --database-url URL     Postgres to migrate (default: $DATABASE_URL, else ${DEFAULT_DATABASE_URL})
  --schema-prefix PREFIX prefix of every schema name (default: $DATABASE_SCHEMA_PREFIX, else none)
`;

export class MigrationFailedError extends VigilError {
  constructor(args: { service: ServiceName; schema: string; cause: unknown }) {
    const reason = args.cause instanceof Error ? args.cause.message : String(args.cause);
    super({
      code: 'MIGRATE.FAILED',
      kind: 'unavailable',
      message: `migrating ${args.service} (schema ${args.schema}) failed: ${reason}`,
      details: { service: args.service, schema: args.schema },
      cause: args.cause,
    });
  }
}

const envSchema = z.object({ DATABASE_URL: sharedEnvShape.DATABASE_URL, DATABASE_SCHEMA_PREFIX: sharedEnvShape.DATABASE_SCHEMA_PREFIX });

interface MigrateRequest {
  readonly services: readonly ServiceName[];
  readonly revert: boolean;
  readonly databaseUrl: string;
  readonly schemaPrefix: string;
}

function parseRequest(argv: string[], env: CliIo['env']): MigrateRequest {
  let values: { service?: string; revert?: boolean; 'database-url'?: string; 'schema-prefix'?: string };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { service: { type: 'string' }, revert: { type: 'boolean' }, 'database-url': { type: 'string' }, 'schema-prefix': { type: 'string' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new CliUsageError(error instanceof Error ? error.message : String(error));
  }
  const service = values.service ?? 'all';
  if (service !== 'all' && !isServiceName(service)) throw new CliUsageError(`unknown service "${service}"`);
  if (values.revert && values.service === undefined) throw new CliUsageError('--revert needs --service NAME (or --service all)');
  const config = loadConfig(envSchema, {
    ...env,
    ...(values['database-url'] === undefined ? {} : { DATABASE_URL: values['database-url'] }),
    ...(values['schema-prefix'] === undefined ? {} : { DATABASE_SCHEMA_PREFIX: values['schema-prefix'] }),
  });
  return {
    services: service === 'all' ? SERVICE_NAMES : [service as ServiceName],
    revert: values.revert ?? false,
    databaseUrl: config.DATABASE_URL,
    schemaPrefix: config.DATABASE_SCHEMA_PREFIX,
  };
}

async function migrateService(request: MigrateRequest, service: ServiceName): Promise<string[]> {
  const schema = serviceSchemaName(service, request.schemaPrefix);
  const dataSource = createDataSource({
    url: request.databaseUrl,
    schema,
    migrations: migrationsFor(service),
    applicationName: `vigil-migrate-${service}`,
    poolSize: 2,
  });
  try {
    return request.revert ? await revertAll({ dataSource }) : await runMigrations({ dataSource });
  } catch (cause) {
    throw new MigrationFailedError({ service, schema, cause });
  }
}

export const migrateCommand: CliCommand = {
  name: 'migrate',
  summary: "Apply (or revert) every service's database migrations",
  usage,
  async run(argv, io) {
    const request = parseRequest(argv, io.env);
    io.stderr.write(`vigil migrate: ${redactUrl(request.databaseUrl)}\n`);
    for (const service of request.services) {
      const names = await migrateService(request, service);
      const schema = serviceSchemaName(service, request.schemaPrefix);
      const verb = request.revert ? 'reverted' : 'applied';
      const outcome = names.length === 0 ? (request.revert ? 'nothing to revert' : 'up to date') : `${verb} ${names.join(', ')}`;
      io.stdout.write(`${service.padEnd(14)} schema ${schema}: ${outcome}\n`);
    }
    return 0;
  },
};
