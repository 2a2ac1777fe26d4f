import { Module } from '@nestjs/common';
import { ReadModelHandler } from './read-model.handler';
import { ReadModelRepository } from './read-model.repository';

/** The gateway's read model: alerts, per-minute counters and job predictions from the result streams. */
@Module({ providers: [ReadModelRepository, ReadModelHandler] })
export class ReadModelModule {}
