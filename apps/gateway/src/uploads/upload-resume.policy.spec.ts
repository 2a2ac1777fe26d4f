import { resumeDecision, type ResumeContext, type UnfinishedJob } from './upload-resume.policy';

const here: ResumeContext = { instance: 'gateway-7d9-abc', spoolPresent: true, orphanGraceMs: 60_000 };
const sending: UnfinishedJob = { state: 'ingesting', chunksTotal: null, previousInstance: 'gateway-7d9-abc', expiredForMs: 0 };

describe('resumeDecision (what a replica does with an unfinished job whose lease ran out)', () => {
  it('resumes sending from the spool when the file is here, whoever ran the job before', () => {
    expect(resumeDecision(sending, here)).toEqual({ kind: 'publish' });
    expect(resumeDecision({ ...sending, previousInstance: 'gateway-other' }, here)).toEqual({ kind: 'publish' });
    expect(resumeDecision({ ...sending, previousInstance: null, expiredForMs: Infinity }, here)).toEqual({ kind: 'publish' });
  });

  it('only waits for results once every chunk was published, or when scoring, with or without the file', () => {
    for (const spoolPresent of [true, false]) {
      expect(resumeDecision({ ...sending, chunksTotal: 12 }, { ...here, spoolPresent })).toEqual({ kind: 'await' });
      expect(resumeDecision({ ...sending, chunksTotal: 0 }, { ...here, spoolPresent })).toEqual({ kind: 'await' });
      expect(resumeDecision({ ...sending, state: 'scoring', chunksTotal: 12, previousInstance: 'gateway-other' }, { ...here, spoolPresent })).toEqual({ kind: 'await' });
    }
  });

  it('fails a job still sending whose file is gone from the instance that ran it (new pod, ephemeral spool)', () => {
    expect(resumeDecision(sending, { ...here, spoolPresent: false })).toEqual({ kind: 'fail', reason: 'spool-lost' });
    expect(resumeDecision({ ...sending, previousInstance: null, expiredForMs: Infinity }, { ...here, spoolPresent: false })).toEqual({ kind: 'fail', reason: 'spool-lost' });
  });

  it('leaves a job another instance was sending to that instance until the orphan grace is over, then fails it', () => {
    const elsewhere = { ...sending, previousInstance: 'gateway-other' };
    const noFile = { ...here, spoolPresent: false };
    expect(resumeDecision({ ...elsewhere, expiredForMs: 0 }, noFile)).toEqual({ kind: 'leave' });
    expect(resumeDecision({ ...elsewhere, expiredForMs: 59_999 }, noFile)).toEqual({ kind: 'leave' });
    expect(resumeDecision({ ...elsewhere, expiredForMs: 60_000 }, noFile)).toEqual({ kind: 'fail', reason: 'spool-lost' });
    expect(resumeDecision({ ...elsewhere, expiredForMs: 0 }, { ...noFile, orphanGraceMs: 0 })).toEqual({ kind: 'fail', reason: 'spool-lost' });
  });

  it('fails an upload cut off while it was being received (its client never got the job id)', () => {
    for (const spoolPresent of [true, false]) {
      expect(resumeDecision({ ...sending, state: 'receiving' }, { ...here, spoolPresent })).toEqual({ kind: 'fail', reason: 'cut-off' });
    }
  });
});
