import { VigilError } from '@vigil/errors';

export class DriftUnavailableError extends VigilError {
  constructor(model: string, waitedMs: number) {
    super({
      code: 'DRIFT.UNAVAILABLE', kind: 'unavailable', details: { model, waitedMs },
      message: `no detection replica answered for the drift of ${model} within ${waitedMs} ms (none serves it, or drift watching is off: DRIFT=on on detection)`,
    });
  }
}
