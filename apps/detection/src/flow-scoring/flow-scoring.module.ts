import { type DynamicModule, Module } from '@nestjs/common';
import { type PipelineTopology } from '@vigil/contracts';
import { type StageSettings } from '../config/stage.config';
import { DETECTION_SETTINGS, DetectionStageHandler } from './detection-stage.handler';

/** Flow batches in, one detection result per batch out. */
@Module({})
export class FlowScoringModule {
  static register(settings: StageSettings & { topology: PipelineTopology }): DynamicModule {
    return { module: FlowScoringModule, providers: [{ provide: DETECTION_SETTINGS, useValue: settings }, DetectionStageHandler] };
  }
}
