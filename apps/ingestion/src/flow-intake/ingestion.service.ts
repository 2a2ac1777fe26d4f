import { type ContractId, type FlowBatch, type RowError, createBatchParser, detectFormat, readFlowStream } from '@vigil/contracts';
import { type AdmitContext, type FlowAdmitter, rejected } from './flow-intake.service';
import {
  type IngestCounters, type IngestReport, MAX_REPORTED_ERRORS, type RecordResult, type SubmitFlowsReply, type SubmitFlowsRequest, shortReason,
} from './flow-intake.schemas';
import { parseJsonRecords } from './json-records.parser';

export interface IngestTextArgs extends AdmitContext {
  contract: ContractId;
  text: string;
  /** A CSV chunk's header line when the chunk carries none. */
  csvHeader?: string;
}

export interface IngestStreamArgs extends AdmitContext {
  contract?: ContractId;
  /** Rows parsed per batch (default 1024). */
  batchSize?: number;
  onProgress?: (counters: Readonly<IngestCounters>) => void;
}

/** The three doors of ingestion over one admitter: JSON batches, text chunks, byte streams. */
export class IngestionService {
  constructor(private readonly admitter: FlowAdmitter) {}

  /** Forgets flow ids an admission claimed (AdmitContext.claimed) whose chunk will be redelivered. */
  release(flowIds: readonly string[]): void {
    this.admitter.release(flowIds);
  }

  /** The JSON batch door: one result per record, in request order. */
  async submitRecords(request: SubmitFlowsRequest, ctx: AdmitContext): Promise<SubmitFlowsReply> {
    const results = new Array<RecordResult>(request.records.length);
    let batchIds: string[] = [];
    let parsed;
    try {
      parsed = parseJsonRecords(request.contract, request.records);
    } catch (err) {
      // No layout of the contract fits the records' keys: every record gets that reason.
      const reason = shortReason(err instanceof Error ? err.message : String(err));
      const code = (err as { code?: string }).code ?? 'INGESTION.UNKNOWN_FORMAT';
      request.records.forEach((_, i) => (results[i] = { row: i + 1, status: 'rejected', code, reason }));
      return { contract: request.contract, ...count(results), batches: 0, batchIds, results };
    }
    for (const e of [...parsed.errors, ...(parsed.batch?.errors ?? [])]) results[e.row - 1] = rejected({ ...e, reason: shortReason(e.reason) });
    if (parsed.batch !== null && parsed.batch.count > 0) {
      const admission = await this.admitter.admit(parsed.batch, ctx);
      for (const r of admission.results) results[r.row - 1] = r;
      batchIds = admission.batchIds;
    }
    return { contract: request.contract, ...count(results), batches: batchIds.length, batchIds, results };
  }

  /** The producer door: a chunk of JSON lines, or CSV lines (first line the header unless one is given). */
  async ingestText(args: IngestTextArgs): Promise<IngestReport> {
    const firstChar = args.text.trimStart().charAt(0);
    if (firstChar === '{') return this.ingestJsonLines(args);
    const lines = args.text.split(/\r?\n/);
    const header = args.csvHeader ?? lines[0];
    const detection = detectFormat(header, { contract: args.contract });
    const from = args.csvHeader === undefined && detection.hasHeader ? 1 : 0;
    const lineRows = lines.slice(from);
    const batch = createBatchParser(detection).parseLines(lineRows, from + 1);
    const report = emptyReport(args.contract, detection.variant);
    await this.admitInto(report, batch, args);
    return report;
  }

  /** The file door: a CSV/TSV byte stream (plain or gzip), in constant memory. */
  async ingestStream(source: AsyncIterable<Uint8Array>, args: IngestStreamArgs): Promise<IngestReport> {
    const reader = readFlowStream(source, { contract: args.contract, batchSize: args.batchSize ?? 1024 });
    const report = emptyReport(args.contract ?? null, null);
    for await (const batch of reader) {
      report.contract = batch.contract.id;
      report.variant = batch.variant;
      await this.admitInto(report, batch, args);
      args.onProgress?.(counters(report));
    }
    return report;
  }

  private async ingestJsonLines(args: IngestTextArgs): Promise<IngestReport> {
    const records: unknown[] = [];
    const lineOf: number[] = [];
    const errors: RowError[] = [];
    args.text.split(/\r?\n/).forEach((line, i) => {
      if (line.trim() === '') return;
      try {
        records.push(JSON.parse(line));
        lineOf.push(i + 1);
      } catch {
        errors.push({ row: i + 1, code: 'INGESTION.MALFORMED_JSON', reason: shortReason(`not a JSON object: ${line}`) });
      }
    });
    const reply = records.length > 0 ? await this.submitRecords({ contract: args.contract, records }, args) : null;
    for (const r of reply?.results ?? []) {
      if (r.status !== 'rejected') continue;
      errors.push({ row: lineOf[r.row - 1], ...(r.field === undefined ? {} : { field: r.field }), code: r.code ?? 'INGESTION.REJECTED', reason: r.reason ?? '' });
    }
    const report = emptyReport(args.contract, null);
    report.rows = records.length + errors.length - (reply?.rejected ?? 0);
    report.accepted = reply?.accepted ?? 0;
    report.duplicates = reply?.duplicates ?? 0;
    report.rejected = errors.length;
    report.batches = reply?.batches ?? 0;
    report.batchIds = reply?.batchIds ?? [];
    report.errors = errors.sort((a, b) => a.row - b.row).slice(0, MAX_REPORTED_ERRORS);
    return report;
  }

  private async admitInto(report: IngestReport, batch: FlowBatch, ctx: AdmitContext): Promise<void> {
    report.rows += batch.count + batch.errors.length;
    report.rejected += batch.errors.length;
    for (const e of batch.errors) if (report.errors.length < MAX_REPORTED_ERRORS) report.errors.push({ ...e, reason: shortReason(e.reason) });
    if (batch.count === 0) return;
    const admission = await this.admitter.admit(batch, ctx);
    for (const r of admission.results) {
      if (r.status === 'accepted') report.accepted++;
      else report.duplicates++;
    }
    report.batches += admission.batchIds.length;
    report.batchIds.push(...admission.batchIds);
  }
}

function count(results: readonly RecordResult[]): Omit<IngestCounters, 'batches'> {
  const c = { rows: results.length, accepted: 0, duplicates: 0, rejected: 0 };
  for (const r of results) {
    if (r.status === 'accepted') c.accepted++;
    else if (r.status === 'duplicate') c.duplicates++;
    else c.rejected++;
  }
  return c;
}

function emptyReport(contract: string | null, variant: string | null): IngestReport {
  return { contract, variant, rows: 0, accepted: 0, duplicates: 0, rejected: 0, batches: 0, batchIds: [], errors: [] };
}

function counters(r: IngestCounters): IngestCounters {
  return { rows: r.rows, accepted: r.accepted, duplicates: r.duplicates, rejected: r.rejected, batches: r.batches };
}
