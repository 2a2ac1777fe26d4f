import { z } from 'zod';

/**
 * The upload path between the gateway and ingestion. The gateway spools an upload to disk,
 * cuts it into line-aligned CSV chunks (≤ 512 KB, the header line carried in a header, the
 * NATS payload limit being 1 MB) and publishes them on JetStream `ingest.<contract>` with
 * `Nats-Msg-Id = <jobId>:<seq>`; ingestion parses each chunk, records the job's counters and
 * row errors once per (job, seq), and announces every processed chunk on core NATS. The
 * gateway keeps at most N chunks unprocessed per job: that is the backpressure.
 */
export const UPLOAD_HEADERS = {
  JobId: 'Vigil-Job-Id',
  ChunkSeq: 'Vigil-Chunk-Seq',
  /** File line number of the chunk's first line minus 1, so row errors name file lines. */
  RowOffset: 'Vigil-Row-Offset',
  FileName: 'Vigil-File-Name',
} as const;

/** At most this many row errors are stored per job (the count of rejected rows stays exact). */
export const MAX_STORED_ROW_ERRORS = 100_000;

export function uploadTopology(prefix = '') {
  const sub = (s: string): string => (prefix === '' ? s : `${prefix}.${s}`);
  return {
    /** Core NATS: one event per processed chunk of a job. */
    progress: (jobId: string): string => sub(`ingestion.jobs.progress.${jobId}`),
    progressAll: sub('ingestion.jobs.progress.*'),
    /** Request/reply: a job's counters and processed chunks. */
    get: sub('ingestion.jobs.get'),
    /** Request/reply: a page of a job's row errors. */
    errors: sub('ingestion.jobs.errors'),
    /** Core NATS: alerts the gateway stored, for every gateway replica's WebSocket clients. */
    liveAlerts: sub('gateway.live.alerts'),
    decisions: sub('decisions.>'),
    modelsActivated: sub('models.activated.>'),
  };
}
export type UploadTopology = ReturnType<typeof uploadTopology>;

export const uploadCountersSchema = z.object({
  rows: z.number().int().min(0),
  accepted: z.number().int().min(0),
  duplicates: z.number().int().min(0),
  rejected: z.number().int().min(0),
});
export type UploadCounters = z.infer<typeof uploadCountersSchema>;

export const chunkProgressEventSchema = z.object({
  jobId: z.uuid(),
  seq: z.number().int().min(0),
  chunks: z.number().int().min(0).describe('chunks of the job processed so far'),
  counters: uploadCountersSchema.describe('the job totals after this chunk'),
  contract: z.string(),
});
export type ChunkProgressEvent = z.infer<typeof chunkProgressEventSchema>;

export const jobIdRequestSchema = z.object({ jobId: z.uuid() });

export const ingestionJobSchema = z.object({
  jobId: z.uuid(),
  contract: z.string(),
  chunks: z.number().int().min(0),
  counters: uploadCountersSchema,
  storedErrors: z.number().int().min(0),
});
export type IngestionJob = z.infer<typeof ingestionJobSchema>;

export const jobErrorsRequestSchema = z.object({
  jobId: z.uuid(),
  afterRow: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(10_000).default(1000),
});

export const jobRowErrorSchema = z.object({ row: z.number().int(), field: z.string().nullable(), code: z.string(), reason: z.string() });
export type JobRowError = z.infer<typeof jobRowErrorSchema>;
export const jobErrorsReplySchema = z.object({ errors: z.array(jobRowErrorSchema) });
