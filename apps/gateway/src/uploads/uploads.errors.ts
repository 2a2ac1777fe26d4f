import { VigilError } from '@vigil/errors';

export class EmptyUploadError extends VigilError {
  constructor() {
    super({ code: 'UPLOAD.EMPTY_FILE', kind: 'invalid-input', message: 'the uploaded file is empty (no header line and no rows)' });
  }
}

export class MalformedMultipartError extends VigilError {
  constructor(reason: string) {
    super({ code: 'UPLOAD.MALFORMED_MULTIPART', kind: 'invalid-input', message: `the multipart body cannot be read: ${reason}`, details: { reason } });
  }
}

export class NoFilePartError extends VigilError {
  constructor() {
    super({ code: 'UPLOAD.NO_FILE', kind: 'invalid-input', message: 'the multipart body carries no file part (send the CSV as a form field with a filename, e.g. `file`)' });
  }
}

export class NotTextError extends VigilError {
  constructor(reason: string) {
    super({ code: 'UPLOAD.NOT_TEXT', kind: 'invalid-input', message: `the file is not CSV text: ${reason}`, details: { reason } });
  }
}

export class BadGzipError extends VigilError {
  constructor(reason: string) {
    super({ code: 'UPLOAD.BAD_GZIP', kind: 'invalid-input', message: `the gzip stream is damaged or truncated: ${reason}`, details: { reason } });
  }
}

export class JobNotFoundError extends VigilError {
  constructor(id: string) {
    super({ code: 'JOBS.NOT_FOUND', kind: 'not-found', message: `no upload job with id ${id}`, details: { id } });
  }
}
