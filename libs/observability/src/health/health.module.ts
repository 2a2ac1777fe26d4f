import { type DynamicModule, Module } from '@nestjs/common';
import { HealthController, SERVICE_IDENTITY, type ServiceIdentity } from './health.controller';
import { ReadinessRegistry } from './readiness.registry';

/** `/healthz` and `/readyz`, plus the injectable ReadinessRegistry every module registers its checks with. */
@Module({})
export class HealthModule {
  static forRoot(identity: ServiceIdentity): DynamicModule {
    return {
      module: HealthModule,
      global: true,
      controllers: [HealthController],
      providers: [ReadinessRegistry, { provide: SERVICE_IDENTITY, useValue: identity }],
      exports: [ReadinessRegistry, SERVICE_IDENTITY],
    };
  }
}
