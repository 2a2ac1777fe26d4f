import { VigilError } from '@vigil/errors';

/** Bad training input or options (shapes, labels, hyper-parameters). */
export class TrainingInputError extends VigilError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super({ code: 'ML.TRAINING_INPUT_INVALID', message, kind: 'invalid-input', details });
  }
}

/** A training worker thread failed. */
export class TrainingWorkerError extends VigilError {
  constructor(message: string, cause?: unknown) {
    super({ code: 'ML.TRAINING_WORKER_FAILED', message, kind: 'internal', cause });
  }
}

/** A data file holds a label its contract does not know (the message names it). */
export class UnknownLabelError extends VigilError {
  constructor(args: { file: string; row: number; reason: string; contract: string }) {
    super({ code: 'ML.UNKNOWN_LABEL', message: `${args.file} line ${args.row}: ${args.reason}`, kind: 'invalid-input', details: args });
  }
}
