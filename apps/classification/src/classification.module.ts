import { type DynamicModule, Module } from '@nestjs/common';
import { InferenceStageModule } from '@vigil/inference';
import { type ClassificationConfig } from './config/classification.config';
import { classificationStage } from './threat-classification/classification.stage';

/** The classification service: runs the attack-type model over flagged flows (stateless, scales out). */
@Module({})
export class ClassificationModule {
  static register(config: ClassificationConfig): DynamicModule {
    return { module: ClassificationModule, imports: [InferenceStageModule.register({ config, spec: classificationStage })] };
  }
}
