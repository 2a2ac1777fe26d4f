import { VigilError } from '@vigil/errors';

export class AlertNotFoundError extends VigilError {
  constructor(id: string) {
    super({ code: 'ALERTS.NOT_FOUND', kind: 'not-found', message: `no alert with id ${id}`, details: { id } });
  }
}

export class InvalidCursorError extends VigilError {
  constructor() {
    super({ code: 'ALERTS.INVALID_CURSOR', kind: 'invalid-input', message: 'the cursor is not one this API returned' });
  }
}
