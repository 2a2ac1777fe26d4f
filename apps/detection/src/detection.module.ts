import { type DynamicModule, Module } from '@nestjs/common';
import { InferenceStageModule } from '@vigil/inference';
import { type DetectionConfig } from './config/detection.config';
import { detectionStage } from './flow-scoring/detection.stage';

/** The detection service: runs the binary threat model over flow batches (stateless, scales out). */
@Module({})
export class DetectionModule {
  static register(config: DetectionConfig): DynamicModule {
    return { module: DetectionModule, imports: [InferenceStageModule.register({ config, spec: detectionStage })] };
  }
}
