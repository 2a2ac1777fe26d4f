import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import { type ServerResponse } from 'node:http';
import { Access } from '../auth/access.decorator';
import { API_TAGS, ERROR_ENVELOPE_SCHEMA, openApiSchema } from '../http/openapi.setup';
import { parseRequest } from '../http/request.validation';
import { JobsService } from './jobs.service';
import { jobErrorsPageSchema, jobErrorsQuerySchema, jobIdParamSchema, type JobView, jobViewSchema } from './jobs.schemas';

@ApiTags(API_TAGS.jobs)
@Controller('api/v1/jobs')
export class JobsController {
  constructor(private readonly jobs: JobsService) {}

  @Get(':id')
  @Access('viewer')
  @ApiOperation({ summary: 'An upload job: state, rows read/accepted/rejected, progress, throughput, the first 100 row errors' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ schema: openApiSchema(jobViewSchema) })
  @ApiNotFoundResponse({ schema: ERROR_ENVELOPE_SCHEMA })
  get(@Param('id') id: string): Promise<JobView> {
    return this.jobs.view(parseRequest(jobIdParamSchema, id, 'path'));
  }

  @Get(':id/errors')
  @Access('viewer')
  @ApiOperation({ summary: 'Every stored row error of a job (row number, column, code, reason), in row order, paged by afterRow' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiQuery({ name: 'afterRow', required: false }) @ApiQuery({ name: 'limit', required: false })
  @ApiOkResponse({ schema: openApiSchema(jobErrorsPageSchema) })
  @ApiNotFoundResponse({ schema: ERROR_ENVELOPE_SCHEMA })
  async errors(@Param('id') id: string, @Query() query: Record<string, unknown>): Promise<{ errors: unknown[]; nextAfterRow: number | null }> {
    const jobId = parseRequest(jobIdParamSchema, id, 'path');
    const { afterRow, limit } = parseRequest(jobErrorsQuerySchema, query, 'query');
    await this.jobs.assertExists(jobId);
    const errors = await this.jobs.errors(jobId, afterRow, limit);
    return { errors, nextAfterRow: errors.length === limit ? errors[errors.length - 1].row : null };
  }

  @Get(':id/results.csv')
  @Access('viewer')
  @ApiOperation({ summary: "Every scored row's prediction as CSV: flow id, label, probability, attack class, class probability, model versions" })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'text/csv', schema: { type: 'string' } })
  @ApiNotFoundResponse({ schema: ERROR_ENVELOPE_SCHEMA })
  async results(@Param('id') id: string, @Res() res: ServerResponse): Promise<void> {
    const jobId = parseRequest(jobIdParamSchema, id, 'path');
    await this.jobs.assertExists(jobId);
    res.statusCode = 200;
    res.setHeader('content-type', 'text/csv; charset=utf-8');
    res.setHeader('content-disposition', `attachment; filename="${jobId}-results.csv"`);
    await this.jobs.writeResultsCsv(jobId, res);
    res.end();
  }
}
