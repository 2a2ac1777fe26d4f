import { Module } from '@nestjs/common';
import { ModelsModule } from '../models/models.module';
import { KServeController } from './kserve.controller';
import { KServeService } from './kserve.service';

/** KServe v2 Open Inference Protocol (/v2): metadata and inference on registered models through the registry. */
@Module({ imports: [ModelsModule], controllers: [KServeController], providers: [KServeService] })
export class InferenceV2Module {}
