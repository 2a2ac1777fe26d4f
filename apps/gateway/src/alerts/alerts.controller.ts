import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator';
import { API_TAGS, ERROR_ENVELOPE_SCHEMA, openApiSchema } from '../http/openapi.setup';
import { parseRequest } from '../http/request.validation';
import { AlertNotFoundError } from './alerts.errors';
import { AlertsRepository } from './alerts.repository';
import { type Alert, alertIdSchema, alertPageSchema, alertSchema, listAlertsQuerySchema } from './alerts.schemas';

@ApiTags(API_TAGS.alerts)
@Controller('api/v1/alerts')
export class AlertsController {
  constructor(private readonly alerts: AlertsRepository) {}

  @Get()
  @Access('viewer')
  @ApiOperation({ summary: 'Alerts (flows classified as attacks), newest first, with filters and cursor pagination' })
  @ApiQuery({ name: 'from', required: false }) @ApiQuery({ name: 'to', required: false })
  @ApiQuery({ name: 'contract', required: false }) @ApiQuery({ name: 'class', required: false })
  @ApiQuery({ name: 'sourceIp', required: false }) @ApiQuery({ name: 'minConfidence', required: false })
  @ApiQuery({ name: 'jobId', required: false }) @ApiQuery({ name: 'limit', required: false }) @ApiQuery({ name: 'cursor', required: false })
  @ApiOkResponse({ schema: openApiSchema(alertPageSchema) })
  list(@Query() query: Record<string, unknown>): Promise<{ items: Alert[]; nextCursor: string | null }> {
    return this.alerts.list(parseRequest(listAlertsQuerySchema, query, 'query'));
  }

  @Get(':id')
  @Access('viewer')
  @ApiOperation({ summary: 'One alert: the flow envelope and every model’s output and version' })
  @ApiParam({ name: 'id', description: 'the flow id (32 hex)' })
  @ApiOkResponse({ schema: openApiSchema(alertSchema) })
  @ApiNotFoundResponse({ schema: ERROR_ENVELOPE_SCHEMA })
  async get(@Param('id') id: string): Promise<Alert> {
    const alert = await this.alerts.get(parseRequest(alertIdSchema, id, 'path'));
    if (alert === null) throw new AlertNotFoundError(id);
    return alert;
  }
}
