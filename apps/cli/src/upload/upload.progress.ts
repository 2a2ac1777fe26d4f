/** The parts of GET /api/v1/jobs/{id} the CLI shows. */
export interface JobSummary {
  id: string;
  state: string;
  duplicate: boolean;
  fileName: string | null;
  contract: string | null;
  variant: string | null;
  bytes: number;
  progress: number;
  rows: { read: number; accepted: number; duplicates: number; rejected: number };
  predictions: { flows: number; threats: number };
  throughputRowsPerSecond: number | null;
  errors: { row: number; field: string | null; code: string; reason: string }[];
  errorsUrl: string;
  resultsUrl: string;
  error: { code: string; message: string } | null;
}

export function renderBar(label: string, fraction: number, width = 30): string {
  const f = Math.max(0, Math.min(1, Number.isFinite(fraction) ? fraction : 0));
  const full = Math.round(f * width);
  return `${label.padEnd(10)} [${'#'.repeat(full)}${'.'.repeat(width - full)}] ${(f * 100).toFixed(0).padStart(3)}%`;
}

export function renderSummary(job: JobSummary): string {
  const lines = [
    `job        ${job.id} (${job.state}${job.duplicate ? ', duplicate upload' : ''})`,
    `file       ${job.fileName ?? '-'} (${job.bytes} bytes) ${job.contract ?? ''} ${job.variant ?? ''}`.trimEnd(),
    `rows       ${job.rows.read} read, ${job.rows.accepted} accepted, ${job.rows.duplicates} duplicates, ${job.rows.rejected} rejected`,
    `scored     ${job.predictions.flows} flows, ${job.predictions.threats} threats`,
    ...(job.throughputRowsPerSecond === null ? [] : [`throughput ${job.throughputRowsPerSecond} rows/s`]),
    ...(job.error ? [`error      ${job.error.code}: ${job.error.message}`] : []),
    ...job.errors.slice(0, 5).map((e) => `  row ${e.row}${e.field ? ` (${e.field})` : ''}: ${e.code} ${e.reason}`),
    ...(job.rows.rejected > 5 ? [`  ... all row errors: ${job.errorsUrl}`] : []),
    `results    ${job.resultsUrl}`,
  ];
  return `${lines.join('\n')}\n`;
}
