import { Module } from '@nestjs/common';
import { FlowsController } from './flows.controller';
import { FlowsService } from './flows.service';
import { PipelineResultsService } from './pipeline-results.service';

/** POST /api/v1/flows: JSON records through ingestion's request/reply door, optionally waiting for results. */
@Module({ controllers: [FlowsController], providers: [FlowsService, PipelineResultsService] })
export class FlowsModule {}
