import { type Job } from '../api/api.types';

export type UploadState =
  | { phase: 'idle' }
  | { phase: 'sending'; fileName: string; bytes: number }
  | { phase: 'tracking'; job: Job }
  | { phase: 'done'; job: Job }
  | { phase: 'refused'; fileName: string; message: string };

export type UploadAction =
  | { type: 'send'; fileName: string; bytes: number }
  | { type: 'job'; job: Job }
  | { type: 'refused'; fileName: string; message: string }
  | { type: 'reset' };

const FINAL_STATES = new Set<Job['state']>(['completed', 'failed']);

export function isFinished(job: Job): boolean {
  return FINAL_STATES.has(job.state);
}

/** Upload lifecycle; a stale job answer (older progress than shown) never moves the bar back. */
export function uploadReducer(state: UploadState, action: UploadAction): UploadState {
  switch (action.type) {
    case 'send':
      return { phase: 'sending', fileName: action.fileName, bytes: action.bytes };
    case 'refused':
      return { phase: 'refused', fileName: action.fileName, message: action.message };
    case 'reset':
      return { phase: 'idle' };
    case 'job': {
      if ((state.phase === 'tracking' || state.phase === 'done') && state.job.id === action.job.id) {
        if (state.phase === 'done') return state;
        if (!isFinished(action.job) && action.job.progress < state.job.progress) return state;
      }
      return isFinished(action.job) ? { phase: 'done', job: action.job } : { phase: 'tracking', job: action.job };
    }
  }
}

/** The bar's value 0..100 and the words beside it. */
export function progressOf(state: UploadState): { percent: number; label: string } | null {
  switch (state.phase) {
    case 'sending':
      return { percent: 0, label: `Sending ${state.fileName}…` };
    case 'tracking': {
      const j = state.job;
      const stage = j.state === 'scoring' ? 'Scoring' : j.state === 'ingesting' ? 'Ingesting' : 'Receiving';
      return { percent: Math.round(j.progress * 100), label: `${stage}: ${j.rows.accepted.toLocaleString('en-US')} rows accepted, ${j.predictions.flows.toLocaleString('en-US')} scored` };
    }
    case 'done':
      return { percent: state.job.state === 'completed' ? 100 : Math.round(state.job.progress * 100), label: state.job.state === 'completed' ? 'Completed' : `Failed: ${state.job.error?.message ?? 'unknown error'}` };
    case 'idle':
    case 'refused':
      return null;
  }
}

/** A live `jobs` event concerns this upload when it names its job id. */
export function concernsJob(data: unknown, jobId: string): boolean {
  return typeof data === 'object' && data !== null && (data as { jobId?: unknown }).jobId === jobId;
}

/** Content type the gateway accepts for a picked file (it sniffs gzip itself). */
export function uploadContentType(fileName: string): string {
  return /\.gz$/i.test(fileName) ? 'application/gzip' : 'text/csv';
}
