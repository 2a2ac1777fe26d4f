import { Module } from '@nestjs/common';
import { JobProgressTracker } from './job-progress.tracker';
import { JobsController } from './jobs.controller';
import { JobsService } from './jobs.service';
import { UploadIngestService } from './upload-ingest.service';
import { UploadsController } from './uploads.controller';
import { UploadsRepository } from './uploads.repository';
import { UploadsService } from './uploads.service';

/** CSV upload (spool, detect, chunk to ingestion with backpressure) and the jobs it creates. */
@Module({
  controllers: [UploadsController, JobsController],
  providers: [UploadsRepository, UploadsService, UploadIngestService, JobProgressTracker, JobsService],
})
export class UploadsModule {}
