import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator';
import { openApiSchema } from '../http/openapi.setup';
import { type ServicesHealth, servicesHealthSchema } from './dashboard.schemas';
import { ServiceHealthService } from './service-health.service';

@ApiTags('health')
@Controller('api/v1/health')
export class ServiceHealthController {
  constructor(private readonly health: ServiceHealthService) {}

  @Get('services')
  @Access('viewer')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: "Pipeline health: each service's /readyz (GATEWAY_SERVICE_URLS) and the lag of every durable JetStream consumer" })
  @ApiOkResponse({ schema: openApiSchema(servicesHealthSchema) })
  services(): Promise<ServicesHealth> {
    return this.health.report();
  }
}
