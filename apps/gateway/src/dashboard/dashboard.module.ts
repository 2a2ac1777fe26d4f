import { type MiddlewareConsumer, Module, type NestModule, RequestMethod } from '@nestjs/common';
import { DASHBOARD_CONFIG, loadDashboardConfig } from '../config/dashboard.config';
import { DashboardStaticMiddleware } from './dashboard-static.middleware';
import { DashboardStaticService } from './dashboard-static.service';
import { ServiceHealthController } from './service-health.controller';
import { ServiceHealthService } from './service-health.service';
import { WhoAmIController } from './whoami.controller';

/**
 * The web dashboard: its built bundle served at `/` (open, like the health endpoints), and the
 * two routes it needs beside the public API: who the key is, and the pipeline's health.
 */
@Module({
  controllers: [WhoAmIController, ServiceHealthController],
  providers: [{ provide: DASHBOARD_CONFIG, useFactory: () => loadDashboardConfig() }, DashboardStaticService, ServiceHealthService, DashboardStaticMiddleware],
})
export class DashboardModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(DashboardStaticMiddleware).forRoutes({ path: '{*path}', method: RequestMethod.GET }, { path: '{*path}', method: RequestMethod.HEAD });
  }
}
