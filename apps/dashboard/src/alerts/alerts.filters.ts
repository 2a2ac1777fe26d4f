import { type Query } from '../api/api.client';

/** The alert filter form as typed (strings), kept in the URL hash so a filtered view can be shared. */
export interface AlertFilters { class: string; sourceIp: string; contract: string; minConfidence: string; jobId: string; sinceMinutes: string }

export const EMPTY_FILTERS: AlertFilters = { class: '', sourceIp: '', contract: '', minConfidence: '', jobId: '', sinceMinutes: '' };

export function filtersFromParams(params: Record<string, string>): AlertFilters {
  return Object.fromEntries(Object.keys(EMPTY_FILTERS).map((k) => [k, params[k] ?? ''])) as unknown as AlertFilters;
}

/** Problems in the form, by field; an empty object means it can be sent. */
export function validateFilters(f: AlertFilters): Partial<Record<keyof AlertFilters, string>> {
  const problems: Partial<Record<keyof AlertFilters, string>> = {};
  if (f.minConfidence !== '' && !(Number(f.minConfidence) >= 0 && Number(f.minConfidence) <= 1)) problems.minConfidence = 'a number from 0 to 1';
  if (f.sinceMinutes !== '' && !(Number.isInteger(Number(f.sinceMinutes)) && Number(f.sinceMinutes) > 0)) problems.sinceMinutes = 'a whole number of minutes';
  if (f.jobId !== '' && !/^[0-9a-f-]{36}$/i.test(f.jobId.trim())) problems.jobId = 'a job id (uuid)';
  return problems;
}

/** The GET /api/v1/alerts query for a form and a page cursor. */
export function alertsQuery(f: AlertFilters, args: { now: number; cursor?: string | null; limit?: number }): Query {
  return {
    class: f.class.trim(),
    sourceIp: f.sourceIp.trim(),
    contract: f.contract,
    minConfidence: f.minConfidence,
    jobId: f.jobId.trim(),
    from: f.sinceMinutes === '' ? '' : new Date(args.now - Number(f.sinceMinutes) * 60_000).toISOString(),
    limit: args.limit ?? 25,
    cursor: args.cursor ?? '',
  };
}

/** Cursor pagination with a back button: the stack holds the cursors of the pages before. */
export interface PageCursor { current: string | null; previous: (string | null)[] }

export function nextPage(p: PageCursor, nextCursor: string): PageCursor {
  return { current: nextCursor, previous: [...p.previous, p.current] };
}

export function previousPage(p: PageCursor): PageCursor {
  if (p.previous.length === 0) return p;
  return { current: p.previous[p.previous.length - 1], previous: p.previous.slice(0, -1) };
}
