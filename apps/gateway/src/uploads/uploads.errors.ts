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

/** A job still being sent when its gateway stopped, whose spooled file no replica has any more. */
export class SpoolLostError extends VigilError {
  constructor(args: { jobId: string; chunksPublished: number }) {
    super({
      code: 'UPLOAD.SPOOL_LOST',
      kind: 'unavailable',
      message: 'the gateway restarted while sending this file and its spooled copy is gone (the spool directory did not survive the restart); upload the file again',
      details: { jobId: args.jobId, chunksPublished: args.chunksPublished },
    });
  }
}

/** An upload whose request was cut off before its job started (the client never got the job id). */
export class UploadCutOffError extends VigilError {
  constructor() {
    super({ code: 'UPLOAD.INTERRUPTED', kind: 'unavailable', message: 'the gateway stopped while this upload was being received; upload the file again' });
  }
}
