import { hostname } from 'node:os';
import { z } from 'zod';

/** The six long-running services; each is its own process with its own Postgres schema. */
export const SERVICE_NAMES = ['gateway', 'ingestion', 'detection', 'classification', 'model-registry', 'self-healing'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** The HTTP port each service listens on (gateway: the API; others: health and metrics), and its env override. */
export const SERVICE_PORTS = {
  gateway: { envKey: 'GATEWAY_PORT', port: 8080 },
  ingestion: { envKey: 'INGESTION_PORT', port: 9101 },
  detection: { envKey: 'DETECTION_PORT', port: 9102 },
  classification: { envKey: 'CLASSIFICATION_PORT', port: 9103 },
  'model-registry': { envKey: 'MODEL_REGISTRY_PORT', port: 9104 },
  'self-healing': { envKey: 'SELF_HEALING_PORT', port: 9105 },
} as const satisfies Record<ServiceName, { envKey: string; port: number }>;

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const DEFAULT_NATS_URL = 'nats://127.0.0.1:4222';
export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

/** The Postgres schema a service owns: its name with `_` for `-`, behind an optional prefix. */
export function serviceSchemaName(service: ServiceName, prefix = ''): string {
  return `${prefix}${service.replace(/-/g, '_')}`;
}

export function isServiceName(value: string): value is ServiceName {
  return (SERVICE_NAMES as readonly string[]).includes(value);
}

export function portSchema(defaultPort: number) {
  return z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().min(1, 'must be between 1 and 65535').max(65535, 'must be between 1 and 65535'))
    .default(defaultPort);
}

const natsUrlSchema = z
  .string()
  .default(DEFAULT_NATS_URL)
  .transform((value) => value.split(',').map((server) => server.trim()).filter((server) => server !== ''))
  .refine((servers) => servers.length > 0 && servers.every((s) => /^(nats|tls|ws|wss):\/\/[^\s]+$/.test(s)), {
    message: 'must be one or more comma-separated nats://host:port URLs',
  });

const databaseUrlSchema = z
  .string()
  .default(DEFAULT_DATABASE_URL)
  .refine((value) => URL.canParse(value) && /^postgres(ql)?:$/.test(new URL(value).protocol), {
    message: 'must be a postgres://user@host:port/db URL',
  });

/** Env keys every service shares; apps spread these into their own schema. */
export const sharedEnvShape = {
  NATS_URL: natsUrlSchema,
  DATABASE_URL: databaseUrlSchema,
  DATABASE_SCHEMA_PREFIX: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,39}$/, 'must be lowercase letters, digits and _ (at most 40)')
    .default(''),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  SERVICE_INSTANCE: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1-64 letters, digits, ".", "_" or "-"')
    .default(() => `${hostname()}-${process.pid}`),
  SHUTDOWN_TIMEOUT_MS: z
    .string()
    .regex(/^\d+$/, 'must be a whole number of milliseconds')
    .transform(Number)
    .pipe(z.number().min(100, 'must be at least 100').max(60_000, 'must be at most 60000'))
    .default(8_000),
};

type PortKey<S extends ServiceName> = (typeof SERVICE_PORTS)[S]['envKey'];

/** The shared env keys plus the service's own port key (e.g. INGESTION_PORT). */
export function serviceEnvShape<S extends ServiceName>(service: S) {
  const { envKey, port } = SERVICE_PORTS[service];
  return { ...sharedEnvShape, [envKey]: portSchema(port) } as typeof sharedEnvShape & Record<PortKey<S>, ReturnType<typeof portSchema>>;
}

/** What every service knows about itself after boot. */
export interface ServiceConfig {
  readonly service: ServiceName;
  readonly instance: string;
  readonly port: number;
  readonly logLevel: LogLevel;
  readonly natsServers: string[];
  readonly databaseUrl: string;
  readonly databaseSchema: string;
  readonly shutdownTimeoutMs: number;
}

type SharedEnv = z.output<z.ZodObject<typeof sharedEnvShape>>;

export function toServiceConfig(service: ServiceName, env: SharedEnv & Record<string, unknown>): ServiceConfig {
  return {
    service,
    instance: env.SERVICE_INSTANCE,
    port: env[SERVICE_PORTS[service].envKey] as number,
    logLevel: env.LOG_LEVEL,
    natsServers: env.NATS_URL,
    databaseUrl: env.DATABASE_URL,
    databaseSchema: serviceSchemaName(service, env.DATABASE_SCHEMA_PREFIX),
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
  };
}

/** The whole config of a service that needs nothing beyond the shared keys. */
export function serviceConfigSchema(service: ServiceName) {
  return z.object(serviceEnvShape(service)).transform((env) => toServiceConfig(service, env));
}
