import { VigilError } from '@vigil/errors';

export class UploadJobNotFoundError extends VigilError {
  constructor(jobId: string) {
    super({ code: 'INGESTION.JOB_NOT_FOUND', kind: 'not-found', message: `ingestion has processed no chunk of job ${jobId}`, details: { jobId } });
  }
}
