import { Body, Controller, Get, HttpCode, Param, Post, UseFilters } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { VigilError } from '@vigil/errors';
import { Access } from '../auth/access.decorator';
import { API_TAGS, openApiSchema } from '../http/openapi.setup';
import { parseRequest } from '../http/request.validation';
import { modelNamePathSchema, versionPathSchema } from '../models/models.schemas';
import { KServeErrorFilter } from './kserve-error.filter';
import { inferRequestSchema, inferResponseSchema, type KServeInferResponse, type ModelMetadata, modelMetadataSchema } from './kserve.schemas';
import { KServeService } from './kserve.service';

/** KServe v2 Open Inference Protocol (REST/JSON) on every registered model. Errors are `{"error": ...}`. */
@ApiTags(API_TAGS.inference)
@Controller('v2')
@UseFilters(KServeErrorFilter)
export class KServeController {
  constructor(private readonly kserve: KServeService) {}

  @Get()
  @Access('viewer')
  @ApiOperation({ summary: 'Server metadata' })
  server(): { name: string; version: string; extensions: string[] } {
    return { name: 'vigil', version: '1', extensions: [] };
  }

  @Get('health/live')
  @ApiOperation({ summary: 'Server live (open, like /healthz)' })
  live(): { live: true } {
    return { live: true };
  }

  @Get('health/ready')
  @ApiOperation({ summary: 'Server ready: the model registry answers (open, like /readyz); 503 otherwise' })
  async ready(): Promise<{ ready: true }> {
    if (!(await this.kserve.serverReady())) throw new VigilError({ code: 'INFERENCE.NOT_READY', kind: 'unavailable', message: 'the model registry does not answer' });
    return { ready: true };
  }

  @Get('models/:name')
  @Access('viewer')
  @ApiOperation({ summary: 'Model metadata of the production version: input [-1, features] FP32, outputs label (BYTES) and probabilities (FP32)' })
  @ApiParam({ name: 'name' }) @ApiOkResponse({ schema: openApiSchema(modelMetadataSchema) })
  metadata(@Param('name') name: string): Promise<ModelMetadata> {
    return this.kserve.metadata(parseRequest(modelNamePathSchema, name, 'path'));
  }

  @Get('models/:name/versions/:version')
  @Access('viewer')
  @ApiOperation({ summary: 'Model metadata of one version' })
  @ApiParam({ name: 'name' }) @ApiParam({ name: 'version' }) @ApiOkResponse({ schema: openApiSchema(modelMetadataSchema) })
  versionMetadata(@Param('name') name: string, @Param('version') version: string): Promise<ModelMetadata> {
    return this.kserve.metadata(parseRequest(modelNamePathSchema, name, 'path'), parseRequest(versionPathSchema, version, 'path'));
  }

  @Get('models/:name/ready')
  @Access('viewer')
  @ApiOperation({ summary: 'Model ready: 200 when it has a production version, 404 when unknown' })
  @ApiParam({ name: 'name' })
  modelReady(@Param('name') name: string): Promise<unknown> {
    return this.kserve.ready(parseRequest(modelNamePathSchema, name, 'path'));
  }

  @Get('models/:name/versions/:version/ready')
  @Access('viewer')
  @ApiOperation({ summary: 'Model version ready: 200 when the version exists, 404 otherwise' })
  @ApiParam({ name: 'name' }) @ApiParam({ name: 'version' })
  versionReady(@Param('name') name: string, @Param('version') version: string): Promise<unknown> {
    return this.kserve.ready(parseRequest(modelNamePathSchema, name, 'path'), parseRequest(versionPathSchema, version, 'path'));
  }

  @Post('models/:name/infer')
  @HttpCode(200)
  @Access('operator')
  @ApiOperation({ summary: 'Inference on the production version: one FP32 input of shape [rows, features] (manifest feature order; flat or nested data, null = NaN)' })
  @ApiParam({ name: 'name' }) @ApiBody({ schema: openApiSchema(inferRequestSchema, 'input') }) @ApiOkResponse({ schema: openApiSchema(inferResponseSchema) })
  infer(@Param('name') name: string, @Body() body: unknown): Promise<KServeInferResponse> {
    return this.kserve.infer({ name: parseRequest(modelNamePathSchema, name, 'path'), request: parseRequest(inferRequestSchema, body ?? {}, 'body') });
  }

  @Post('models/:name/versions/:version/infer')
  @HttpCode(200)
  @Access('operator')
  @ApiOperation({ summary: 'Inference on one version' })
  @ApiParam({ name: 'name' }) @ApiParam({ name: 'version' }) @ApiBody({ schema: openApiSchema(inferRequestSchema, 'input') }) @ApiOkResponse({ schema: openApiSchema(inferResponseSchema) })
  inferVersion(@Param('name') name: string, @Param('version') version: string, @Body() body: unknown): Promise<KServeInferResponse> {
    return this.kserve.infer({
      name: parseRequest(modelNamePathSchema, name, 'path'), version: parseRequest(versionPathSchema, version, 'path'), request: parseRequest(inferRequestSchema, body ?? {}, 'body'),
    });
  }
}
