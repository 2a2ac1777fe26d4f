import { Module } from '@nestjs/common';
import { JobProgressTracker } from './job-progress.tracker';
import { JobsController } from './jobs.controller';
import { JobsService } from './jobs.service';
import { UploadIngestService } from './upload-ingest.service';
import { UploadLeaseRepository } from './upload-lease.repository';
import { UploadLeases } from './upload-lease.service';
import { UploadResumeService } from './upload-resume.service';
import { UploadsController } from './uploads.controller';
import { UploadsRepository } from './uploads.repository';
import { UploadsService } from './uploads.service';

/** CSV upload (spool, detect, chunk to ingestion with backpressure), the jobs it creates, and their resumption after a restart. */
@Module({
  controllers: [UploadsController, JobsController],
  providers: [UploadsRepository, UploadsService, UploadIngestService, JobProgressTracker, JobsService, UploadLeaseRepository, UploadLeases, UploadResumeService],
})
export class UploadsModule {}
