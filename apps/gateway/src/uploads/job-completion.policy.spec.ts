import { jobCompletion } from './job-completion.policy';

describe('jobCompletion', () => {
  const graceMs = 60_000;

  it('keeps a job scoring while accepted rows lack their detection result', () => {
    expect(jobCompletion({ accepted: 10, counts: { flows: 9, threats: 0, classificationPending: 0 }, waitedMs: 0, graceMs }).done).toBe(false);
  });

  it('does not complete a job whose flagged rows are detected but not yet classified', () => {
    const verdict = jobCompletion({ accepted: 10, counts: { flows: 10, threats: 1, classificationPending: 3 }, waitedMs: 5_000, graceMs });
    expect(verdict).toEqual({ done: false, classificationPending: 3 });
  });

  it('completes once every flagged row has its threat result', () => {
    expect(jobCompletion({ accepted: 10, counts: { flows: 10, threats: 4, classificationPending: 0 }, waitedMs: 0, graceMs })).toEqual({ done: true, classificationPending: 0 });
  });

  it('completes a job without flagged rows as soon as detection is done', () => {
    expect(jobCompletion({ accepted: 10, counts: { flows: 10, threats: 0, classificationPending: 0 }, waitedMs: 0, graceMs }).done).toBe(true);
  });

  it('completes after the grace with the unclassified rows reported, so a job never hangs on a classification outage', () => {
    const verdict = jobCompletion({ accepted: 10, counts: { flows: 10, threats: 1, classificationPending: 3 }, waitedMs: graceMs, graceMs });
    expect(verdict).toEqual({ done: true, classificationPending: 3 });
  });
});
