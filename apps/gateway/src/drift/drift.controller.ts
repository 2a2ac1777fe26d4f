import { Controller, Get, Param } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator';
import { API_TAGS, ERROR_ENVELOPE_SCHEMA } from '../http/openapi.setup';
import { parseRequest } from '../http/request.validation';
import { modelNamePathSchema } from '../models/models.schemas';
import { DriftService, type ReplicaDrift } from './drift.service';

@ApiTags(API_TAGS.models)
@Controller('api/v1/models')
export class DriftController {
  constructor(private readonly drift: DriftService) {}

  @Get(':name/drift')
  @Access('viewer')
  @ApiOperation({ summary: 'Live drift of a model: per detection replica and served version, PSI per feature and overall against the manifest\'s reference histograms' })
  @ApiParam({ name: 'name' })
  @ApiServiceUnavailableResponse({ description: 'DRIFT.UNAVAILABLE: no detection replica answered', schema: ERROR_ENVELOPE_SCHEMA })
  get(@Param('name') name: string): Promise<{ model: string; replicas: ReplicaDrift[] }> {
    return this.drift.drift(parseRequest(modelNamePathSchema, name, 'path'));
  }
}
