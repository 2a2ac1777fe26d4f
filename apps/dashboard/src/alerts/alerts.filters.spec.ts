import { EMPTY_FILTERS, alertsQuery, filtersFromParams, nextPage, previousPage, validateFilters } from './alerts.filters';

describe('alert filters', () => {
  it('builds the alerts query: trimmed values, a from time for "last N minutes", the page cursor', () => {
    const now = Date.UTC(2025, 0, 1, 12, 0, 0);
    const q = alertsQuery({ ...EMPTY_FILTERS, class: ' smurf ', sinceMinutes: '15', minConfidence: '0.9' }, { now, cursor: 'c2' });
    expect(q).toEqual({ class: 'smurf', sourceIp: '', contract: '', minConfidence: '0.9', jobId: '', from: '2025-01-01T11:45:00.000Z', limit: 25, cursor: 'c2' });
  });

  it('flags bad input per field and reads filters from the URL', () => {
    expect(validateFilters({ ...EMPTY_FILTERS, minConfidence: '1.5', sinceMinutes: '2.5', jobId: 'x' })).toEqual({ minConfidence: 'a number from 0 to 1', sinceMinutes: 'a whole number of minutes', jobId: 'a job id (uuid)' });
    expect(validateFilters(EMPTY_FILTERS)).toEqual({});
    expect(filtersFromParams({ sourceIp: '10.0.0.1', junk: 'x' })).toEqual({ ...EMPTY_FILTERS, sourceIp: '10.0.0.1' });
  });

  it('cursor pages go forward and back to the first page', () => {
    let p = { current: null as string | null, previous: [] as (string | null)[] };
    p = nextPage(p, 'c1');
    p = nextPage(p, 'c2');
    expect(p).toEqual({ current: 'c2', previous: [null, 'c1'] });
    p = previousPage(previousPage(p));
    expect(p).toEqual({ current: null, previous: [] });
    expect(previousPage(p)).toBe(p);
  });
});
