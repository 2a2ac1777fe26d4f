import { Module } from '@nestjs/common';
import { DriftController } from './drift.controller';
import { DriftService } from './drift.service';

/** `GET /api/v1/models/{name}/drift` over the detection replicas' `detection.drift.<model>` requests. */
@Module({ controllers: [DriftController], providers: [DriftService] })
export class DriftModule {}
