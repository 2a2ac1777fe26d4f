import { type DynamicModule, Module } from '@nestjs/common';
import { uploadTopology } from '@vigil/contracts';
import { UPLOAD_TOPOLOGY, UploadJobsHandler } from './upload-jobs.handler';
import { UploadJobsRepository } from './upload-jobs.repository';
import { UploadJobsService } from './upload-jobs.service';

/** Upload jobs (ARCHITECTURE.md §1: ingestion owns them): chunk accounting, row errors, job queries. */
@Module({})
export class UploadJobsModule {
  static register(prefix: string): DynamicModule {
    return {
      module: UploadJobsModule,
      global: true,
      providers: [{ provide: UPLOAD_TOPOLOGY, useValue: uploadTopology(prefix) }, UploadJobsRepository, UploadJobsService, UploadJobsHandler],
      exports: [UploadJobsHandler],
    };
  }
}
