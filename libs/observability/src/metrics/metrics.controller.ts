import { Controller, Get, Header } from '@nestjs/common';
import { Metrics, PROMETHEUS_CONTENT_TYPE } from './metrics.registry';

@Controller()
export class MetricsController {
  constructor(private readonly metrics: Metrics) {}

  @Get('metrics')
  @Header('Content-Type', PROMETHEUS_CONTENT_TYPE)
  @Header('Cache-Control', 'no-store')
  render(): Promise<string> {
    return this.metrics.render();
  }
}
