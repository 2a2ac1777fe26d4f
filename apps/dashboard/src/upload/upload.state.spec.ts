import { type Job } from '../api/api.types';
import { concernsJob, progressOf, uploadContentType, uploadReducer } from './upload.state';

const job = (over: Partial<Job> = {}): Job => ({
  id: 'j1', state: 'ingesting', duplicate: false, fileName: 'f.csv', bytes: 10, contract: 'nsl-kdd', variant: null, createdAt: '', finishedAt: null,
  chunks: { total: 4, published: 2, processed: 1 }, rows: { read: 100, accepted: 90, duplicates: 0, rejected: 10 }, predictions: { flows: 40, threats: 7 },
  progress: 0.25, throughputRowsPerSecond: null, errors: [], errorsUrl: '', resultsUrl: '', error: null, ...over,
});

describe('upload state', () => {
  it('goes sending → tracking → done, and the bar never moves back on a stale answer', () => {
    let s = uploadReducer({ phase: 'idle' }, { type: 'send', fileName: 'f.csv', bytes: 10 });
    expect(progressOf(s)).toEqual({ percent: 0, label: 'Sending f.csv…' });
    s = uploadReducer(s, { type: 'job', job: job({ progress: 0.5, state: 'scoring' }) });
    expect(progressOf(s)).toEqual({ percent: 50, label: 'Scoring: 90 rows accepted, 40 scored' });
    s = uploadReducer(s, { type: 'job', job: job({ progress: 0.25 }) });
    expect(progressOf(s)?.percent).toBe(50);
    s = uploadReducer(s, { type: 'job', job: job({ progress: 1, state: 'completed' }) });
    expect(s.phase).toBe('done');
    expect(progressOf(s)).toEqual({ percent: 100, label: 'Completed' });
    expect(uploadReducer(s, { type: 'job', job: job({ progress: 0.9, state: 'scoring' }) })).toBe(s);
  });

  it('a refused upload and a failed job say why', () => {
    expect(uploadReducer({ phase: 'idle' }, { type: 'refused', fileName: 'x.bin', message: 'not text' })).toEqual({ phase: 'refused', fileName: 'x.bin', message: 'not text' });
    const failed = uploadReducer({ phase: 'idle' }, { type: 'job', job: job({ state: 'failed', progress: 0.3, error: { code: 'UPLOAD.STALLED', message: 'no progress for 120 s' } }) });
    expect(progressOf(failed)).toEqual({ percent: 30, label: 'Failed: no progress for 120 s' });
  });

  it('live events concern the job they name; gzip files go as application/gzip', () => {
    expect(concernsJob({ jobId: 'j1', chunks: 2 }, 'j1')).toBe(true);
    expect(concernsJob({ jobId: 'j2' }, 'j1')).toBe(false);
    expect(concernsJob(null, 'j1')).toBe(false);
    expect([uploadContentType('a.csv.gz'), uploadContentType('KDDTrain+.txt')]).toEqual(['application/gzip', 'text/csv']);
  });
});
