import { type JobState } from './uploads.repository';

/** An unfinished job whose lease ran out (or was released), as a replica scanning for work sees it. */
export interface UnfinishedJob {
  state: Extract<JobState, 'receiving' | 'ingesting' | 'scoring'>;
  /** Set once every chunk was published (null while the file is still being sent). */
  chunksTotal: number | null;
  /** The instance (SERVICE_INSTANCE) that held the lease last, null when none ever did. */
  previousInstance: string | null;
  /** How long ago the lease ran out (Infinity when there never was one). */
  expiredForMs: number;
}

export interface ResumeContext {
  /** This process's SERVICE_INSTANCE (a pod name in Kubernetes: the same across a container restart). */
  instance: string;
  /** Whether this replica's spool holds the job's file, whole. */
  spoolPresent: boolean;
  orphanGraceMs: number;
}

export type ResumeDecision =
  /** Every chunk is on JetStream: wait for ingestion and the results again (no file needed). */
  | { kind: 'await' }
  /** Send the rest of the file from the spool, from the chunks ingestion has confirmed. */
  | { kind: 'publish' }
  /** Nothing can finish it: fail it with the reason, so the user uploads again (and the hash is free). */
  | { kind: 'fail'; reason: 'spool-lost' | 'cut-off' }
  /** Not this replica's to decide yet: the replica that has the file may still come back for it. */
  | { kind: 'leave' };

/**
 * What a replica does with an unfinished job it found unleased. Only the sending stage needs the
 * spooled file; without it the job cannot finish here. It is failed at once when this is the
 * instance that ran it (its spool is gone: a new pod, an ephemeral volume) or when no replica has
 * come back for it within the orphan grace; until then another replica leaves it, because the one
 * that has the file (a container restarting in the same pod) may resume it.
 */
export function resumeDecision(job: UnfinishedJob, ctx: ResumeContext): ResumeDecision {
  switch (job.state) {
    case 'receiving':
      // The upload request itself was cut off: its client never got a job id to follow.
      return { kind: 'fail', reason: 'cut-off' };
    case 'scoring':
      return { kind: 'await' };
    case 'ingesting':
      if (job.chunksTotal !== null) return { kind: 'await' };
      if (ctx.spoolPresent) return { kind: 'publish' };
      if (job.previousInstance === null || job.previousInstance === ctx.instance || job.expiredForMs >= ctx.orphanGraceMs) return { kind: 'fail', reason: 'spool-lost' };
      return { kind: 'leave' };
  }
}
