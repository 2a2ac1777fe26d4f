import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, serviceEnvShape, toServiceConfig, type ServiceConfig } from '@vigil/config';
import { z } from 'zod';

/** Everything gateway reads from its environment, parsed once at boot. */
export interface GatewayConfig extends ServiceConfig {
  /** Subject/stream prefix of the pipeline (empty in production; tests give each run its own). */
  readonly pipelinePrefix: string;
  /** Origins allowed by CORS; empty = CORS off (same-origin only); `*` = any. */
  readonly corsOrigins: readonly string[];
  readonly rateLimit: { readonly perSecond: number; readonly burst: number };
  /** Largest JSON body (POST /api/v1/flows) before 413. */
  readonly jsonLimitBytes: number;
  readonly upload: {
    /** Largest upload before 413. */
    readonly maxBytes: number;
    /** Where uploads are spooled (disk, not memory) until ingestion has taken them. */
    readonly spoolDir: string;
    /** CSV chunk size on the wire to ingestion (NATS max payload is 1 MB). */
    readonly chunkBytes: number;
    /** Chunks published but not yet processed by ingestion, per job (backpressure). */
    readonly inFlightChunks: number;
    /** How long a job whose rows are all detected waits for the threat results of its flagged rows before completing without them. */
    readonly classifyGraceMs: number;
    /** How long a replica's claim on a running job lasts unless renewed (renewed every third of it); a job whose lease ran out is resumed by a replica. */
    readonly leaseMs: number;
    /** How long after its lease ran out a job still being sent waits for a replica that has its spooled file before another one fails it. */
    readonly orphanGraceMs: number;
  };
  /** How long `POST /api/v1/flows?wait=true` waits for results. */
  readonly waitTimeoutMs: number;
  /** Bytes a WebSocket client may have queued before it is dropped. */
  readonly wsMaxBufferedBytes: number;
  /** How long a verified API key is trusted without asking Postgres again (revocation delay). */
  readonly keyCacheMs: number;
  /** How far behind the wall clock a bouncer's stream cursor is kept, so a decision committed late is never skipped. */
  readonly crowdsecCursorOverlapMs: number;
  /** Alerts and flagged flows' features older than this are pruned hourly. */
  readonly alertRetentionDays: number;
}

const int = (min: number, max: number, fallback: number) =>
  z.string().regex(/^\d+$/, 'must be a whole number').transform(Number).pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`)).default(fallback);

const MB = 1024 * 1024;

const corsEntries = (v: string): string[] => v.split(',').map((o) => o.trim()).filter((o) => o !== '');

/** A browser's Origin header is exactly scheme://host[:port]: an entry that is not one would silently never match. */
function isOrigin(entry: string): boolean {
  if (entry === '*') return true;
  try {
    const u = new URL(entry);
    return (u.protocol === 'https:' || u.protocol === 'http:') && !u.hostname.includes('*') && u.origin === entry.replace(/\/$/, '') && !entry.endsWith('/');
  } catch {
    return false;
  }
}

export const gatewayConfigSchema = z
  .object({
    ...serviceEnvShape('gateway'),
    PIPELINE_PREFIX: z.string().regex(/^[A-Za-z0-9_-]{0,32}$/, 'must be up to 32 letters, digits, _ or -').default(''),
    GATEWAY_CORS_ORIGINS: z.string().default('').refine((v) => corsEntries(v).every(isOrigin), {
      message: 'must be `*` or comma-separated origins, each scheme://host[:port] with no path (e.g. https://soc.example.org)',
    }),
    GATEWAY_RATE_LIMIT_PER_SECOND: int(1, 100_000, 50),
    GATEWAY_RATE_LIMIT_BURST: int(1, 1_000_000, 200),
    GATEWAY_JSON_LIMIT_BYTES: int(1024, 64 * MB, 8 * MB),
    GATEWAY_UPLOAD_MAX_BYTES: int(1024, 64 * 1024 * MB, 4 * 1024 * MB),
    GATEWAY_UPLOAD_SPOOL_DIR: z.string().min(1).default(join(tmpdir(), 'vigil-uploads')),
    GATEWAY_UPLOAD_CHUNK_BYTES: int(64 * 1024, 900 * 1024, 512 * 1024),
    GATEWAY_UPLOAD_IN_FLIGHT: int(1, 256, 8),
    GATEWAY_JOB_CLASSIFY_GRACE_MS: int(0, 3_600_000, 60_000),
    GATEWAY_UPLOAD_LEASE_MS: int(1_000, 600_000, 30_000),
    GATEWAY_UPLOAD_ORPHAN_GRACE_MS: int(0, 3_600_000, 60_000),
    GATEWAY_WAIT_TIMEOUT_MS: int(100, 120_000, 15_000),
    GATEWAY_WS_MAX_BUFFERED_BYTES: int(1024, 256 * MB, 4 * MB),
    GATEWAY_KEY_CACHE_MS: int(0, 600_000, 10_000),
    GATEWAY_CROWDSEC_CURSOR_OVERLAP_MS: int(0, 600_000, 5_000),
    GATEWAY_ALERT_RETENTION_DAYS: int(1, 3650, 30),
  })
  .transform((env): GatewayConfig => ({
    ...toServiceConfig('gateway', env),
    pipelinePrefix: env.PIPELINE_PREFIX,
    corsOrigins: corsEntries(env.GATEWAY_CORS_ORIGINS),
    rateLimit: { perSecond: env.GATEWAY_RATE_LIMIT_PER_SECOND, burst: env.GATEWAY_RATE_LIMIT_BURST },
    jsonLimitBytes: env.GATEWAY_JSON_LIMIT_BYTES,
    upload: {
      maxBytes: env.GATEWAY_UPLOAD_MAX_BYTES,
      spoolDir: env.GATEWAY_UPLOAD_SPOOL_DIR,
      chunkBytes: env.GATEWAY_UPLOAD_CHUNK_BYTES,
      inFlightChunks: env.GATEWAY_UPLOAD_IN_FLIGHT,
      classifyGraceMs: env.GATEWAY_JOB_CLASSIFY_GRACE_MS,
      leaseMs: env.GATEWAY_UPLOAD_LEASE_MS,
      orphanGraceMs: env.GATEWAY_UPLOAD_ORPHAN_GRACE_MS,
    },
    waitTimeoutMs: env.GATEWAY_WAIT_TIMEOUT_MS,
    wsMaxBufferedBytes: env.GATEWAY_WS_MAX_BUFFERED_BYTES,
    keyCacheMs: env.GATEWAY_KEY_CACHE_MS,
    crowdsecCursorOverlapMs: env.GATEWAY_CROWDSEC_CURSOR_OVERLAP_MS,
    alertRetentionDays: env.GATEWAY_ALERT_RETENTION_DAYS,
  }));

export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  return loadConfig(gatewayConfigSchema, env);
}

export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');
/** Inject the pipeline's subjects and streams (`PipelineTopology`) under this token. */
export const GATEWAY_TOPOLOGY = Symbol('GATEWAY_TOPOLOGY');
/** Inject the upload/live subjects (`UploadTopology` from @vigil/contracts) under this token. */
export const UPLOAD_TOPOLOGY = Symbol('UPLOAD_TOPOLOGY');
