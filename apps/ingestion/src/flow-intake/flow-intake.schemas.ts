import { contractIdSchema, type RowError } from '@vigil/contracts';
import { z } from 'zod';

/** The JSON batch door (`ingestion.flows.submit`, the gateway's POST /api/v1/flows). */
export const submitFlowsRequestSchema = z.object({
  contract: contractIdSchema,
  sensor: z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/).optional(),
  records: z.array(z.unknown()).min(1).max(10_000),
});
export type SubmitFlowsRequest = z.infer<typeof submitFlowsRequestSchema>;

export type RecordStatus = 'accepted' | 'duplicate' | 'rejected';

export interface RecordResult {
  /** 1-based record index (JSON door) or file line (CSV). */
  row: number;
  status: RecordStatus;
  flowId?: string;
  field?: string;
  code?: string;
  reason?: string;
  /** Accepted, with something worth knowing (e.g. a category outside the vocabulary). */
  warnings?: { field: string; code: string; reason: string }[];
}

export interface IngestCounters {
  rows: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  batches: number;
}

export interface IngestReport extends IngestCounters {
  contract: string | null;
  variant: string | null;
  batchIds: string[];
  /** Rejected rows, first 1,000, reasons cut to 300 characters. */
  errors: RowError[];
}

export interface SubmitFlowsReply extends IngestCounters {
  contract: string;
  batchIds: string[];
  /** One result per record, in request order. */
  results: RecordResult[];
}

export const MAX_REPORTED_ERRORS = 1_000;
export const MAX_REASON_LENGTH = 300;

export function shortReason(reason: string): string {
  return reason.length <= MAX_REASON_LENGTH ? reason : `${reason.slice(0, MAX_REASON_LENGTH)}… (${reason.length} characters)`;
}
