import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator';
import { API_TAGS, openApiSchema } from '../http/openapi.setup';
import { parseRequest } from '../http/request.validation';
import { type Stats, statsQuerySchema, statsSchema } from './stats.schemas';
import { StatsService } from './stats.service';

@ApiTags(API_TAGS.stats)
@Controller('api/v1/predictions')
export class StatsController {
  constructor(private readonly stats: StatsService) {}

  @Get('stats')
  @Access('viewer')
  @ApiOperation({ summary: 'Flows and threats per minute by contract, class and model version over a window; totals; detection rate' })
  @ApiQuery({ name: 'windowMinutes', required: false }) @ApiQuery({ name: 'from', required: false })
  @ApiQuery({ name: 'to', required: false }) @ApiQuery({ name: 'contract', required: false })
  @ApiOkResponse({ schema: openApiSchema(statsSchema) })
  get(@Query() query: Record<string, unknown>): Promise<Stats> {
    return this.stats.stats(parseRequest(statsQuerySchema, query, 'query'));
  }
}
