import { type DynamicModule, Module } from '@nestjs/common';
import { type PipelineTopology } from '@vigil/contracts';
import { type StageSettings } from '../config/stage.config';
import { CLASSIFICATION_SETTINGS, ClassificationStageHandler } from './classification-stage.handler';

/** Detection results in, threat batches out. */
@Module({})
export class ThreatClassificationModule {
  static register(settings: StageSettings & { topology: PipelineTopology }): DynamicModule {
    return { module: ThreatClassificationModule, providers: [{ provide: CLASSIFICATION_SETTINGS, useValue: settings }, ClassificationStageHandler] };
  }
}
