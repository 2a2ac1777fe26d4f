/** What the read model holds for one job (job_predictions), counted per flow so a redelivered batch never counts twice. */
export interface JobPredictionCounts {
  /** Flows with a prediction (detector's or classifier's answer, whichever landed first). */
  flows: number;
  /** Flows with the classifier's answer. */
  threats: number;
  /** Flows the detector flagged whose threat result has not arrived yet. */
  classificationPending: number;
}

export interface CompletionArgs {
  accepted: number;
  counts: JobPredictionCounts;
  /** How long the job has waited since every accepted row had its detection result. */
  waitedMs: number;
  /** Past this, a job with flagged rows still unclassified completes anyway (classification down). */
  graceMs: number;
}

export interface CompletionVerdict {
  done: boolean;
  /** Flagged rows still without a threat result when the job completes (0 on a clean completion). */
  classificationPending: number;
}

export function detectionComplete(accepted: number, counts: JobPredictionCounts): boolean {
  return counts.flows >= accepted;
}

/**
 * A job is complete when every accepted row has its detection result and every row the detector
 * flagged has its threat result: otherwise a finished job could show fewer threats than it will.
 * The grace keeps a job from waiting forever on a classification stage that is down.
 */
export function jobCompletion(args: CompletionArgs): CompletionVerdict {
  const pending = args.counts.classificationPending;
  if (!detectionComplete(args.accepted, args.counts)) return { done: false, classificationPending: pending };
  return { done: pending === 0 || args.waitedMs >= args.graceMs, classificationPending: pending };
}
