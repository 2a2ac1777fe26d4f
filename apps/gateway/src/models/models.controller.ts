import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import { type ModelVersionInfo, modelVersionInfoSchema } from '@vigil/contracts';
import { type ServerResponse } from 'node:http';
import { Access } from '../auth/access.decorator';
import { type AuthenticatedRequest } from '../auth/auth.guard';
import { actorOf } from '../decisions/self-healing-requests.service';
import { API_TAGS, openApiSchema } from '../http/openapi.setup';
import { parseRequest } from '../http/request.validation';
import { readModelUpload } from './model-upload.reader';
import { ModelUploadError } from './models.errors';
import {
  aliasPathSchema, historyQuerySchema, listVersionsQuerySchema, type ModelProfile, modelNamePathSchema, modelProfileSchema, rollbackBodySchema, setAliasBodySchema, versionPathSchema,
} from './models.schemas';
import { ModelsService } from './models.service';

/** Largest model upload the gateway reads (the registry's own cap, REGISTRY_MAX_MODEL_BYTES, is checked there). */
const MODEL_UPLOAD_MAX_BYTES = 513 * 1024 * 1024;

@ApiTags(API_TAGS.models)
@Controller('api/v1/models')
export class ModelsController {
  constructor(private readonly models: ModelsService) {}

  @Get()
  @Access('viewer')
  @ApiOperation({ summary: 'Registered models: task, contract, latest version, number of versions, aliases' })
  list(): Promise<unknown> {
    return this.models.ask('listModels');
  }

  @Get('profile/:name')
  @Access('viewer')
  @ApiOperation({ summary: 'Model profile: the production version, its metrics, features, size, and what the serving replicas report' })
  @ApiParam({ name: 'name' })
  @ApiOkResponse({ schema: openApiSchema(modelProfileSchema) })
  profile(@Param('name') name: string): Promise<ModelProfile> {
    return this.models.profile(parseRequest(modelNamePathSchema, name, 'path'));
  }

  @Get(':name/versions')
  @Access('viewer')
  @ApiOperation({ summary: 'Versions of a model, newest first' })
  @ApiParam({ name: 'name' }) @ApiQuery({ name: 'limit', required: false })
  versions(@Param('name') name: string, @Query() query: Record<string, unknown>): Promise<unknown> {
    return this.models.ask('listVersions', { name: parseRequest(modelNamePathSchema, name, 'path'), ...parseRequest(listVersionsQuerySchema, query, 'query') });
  }

  @Post(':name/versions')
  @Access('admin')
  @ApiOperation({
    summary: 'Upload a version: multipart/form-data with `model` (the ONNX file) and `manifest` (its JSON manifest)',
    description: 'Validated by the registry before it is accepted (contract, features, class labels, a golden run on real rows); a refusal names what does not match (REGISTRY.MODEL_CONTRACT_MISMATCH, REGISTRY.CLASS_LABELS_MISMATCH, REGISTRY.MODEL_INVALID_ONNX, REGISTRY.MODEL_TOO_LARGE, ...). The version number is assigned by the registry. Aliases do not move: promote it with PUT .../aliases/production.',
  })
  @ApiParam({ name: 'name' }) @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['model', 'manifest'], properties: { model: { type: 'string', format: 'binary' }, manifest: { type: 'string', format: 'binary' } } } })
  @ApiCreatedResponse({ schema: openApiSchema(modelVersionInfoSchema) })
  async upload(@Param('name') name: string, @Req() req: AuthenticatedRequest): Promise<ModelVersionInfo> {
    const model = parseRequest(modelNamePathSchema, name, 'path');
    const upload = await readModelUpload(req, MODEL_UPLOAD_MAX_BYTES);
    const declared = (upload.manifest as { name?: unknown } | null)?.name;
    if (declared !== model) throw new ModelUploadError('MODELS.NAME_MISMATCH', `the manifest names model ${String(declared)}, the URL ${model}`, { url: model, manifest: String(declared) });
    return this.models.registry.upload({ manifest: upload.manifest, model: upload.model, createdBy: actorOf(req.principal, req.headers['x-vigil-actor']) });
  }

  @Get(':name/versions/:version')
  @Access('viewer')
  @ApiOperation({ summary: 'One version: manifest (metrics, features, labels), sha256, size, aliases, and its rollout on the inference replicas' })
  @ApiParam({ name: 'name' }) @ApiParam({ name: 'version' })
  version(@Param('name') name: string, @Param('version') version: string): Promise<unknown> {
    return this.models.version(parseRequest(modelNamePathSchema, name, 'path'), parseRequest(versionPathSchema, version, 'path'));
  }

  @Get(':name/versions/:version/artifact')
  @Access('viewer')
  @ApiOperation({ summary: 'Download the ONNX artifact (checked against its sha256, sent in `x-content-sha256`)' })
  @ApiParam({ name: 'name' }) @ApiParam({ name: 'version' }) @ApiProduces('application/octet-stream')
  async artifact(@Param('name') name: string, @Param('version') version: string, @Res() res: ServerResponse): Promise<void> {
    const n = parseRequest(modelNamePathSchema, name, 'path');
    const v = parseRequest(versionPathSchema, version, 'path');
    const { model, sha256 } = await this.models.registry.download(n, v);
    res.statusCode = 200;
    res.setHeader('content-type', 'application/octet-stream');
    res.setHeader('content-disposition', `attachment; filename="${n}-v${v}.onnx"`);
    res.setHeader('x-content-sha256', sha256);
    res.end(Buffer.from(model.buffer, model.byteOffset, model.byteLength));
  }

  @Get(':name/aliases')
  @Access('viewer')
  @ApiOperation({ summary: 'Where production, canary (with its share) and shadow point' })
  @ApiParam({ name: 'name' })
  aliases(@Param('name') name: string): Promise<unknown> {
    return this.models.ask('getAliases', { name: parseRequest(modelNamePathSchema, name, 'path') });
  }

  @Put(':name/aliases/:alias')
  @Access('admin')
  @ApiOperation({ summary: 'Move an alias (production, canary with `canaryShare` 0-100, shadow) to a version, or clear canary/shadow with `version: null`; audited, published to every replica' })
  @ApiParam({ name: 'name' }) @ApiParam({ name: 'alias', enum: ['production', 'canary', 'shadow'] })
  @ApiBody({ schema: openApiSchema(setAliasBodySchema, 'input') })
  setAlias(@Param('name') name: string, @Param('alias') alias: string, @Body() body: unknown, @Req() req: AuthenticatedRequest): Promise<unknown> {
    return this.models.ask('setAlias', {
      name: parseRequest(modelNamePathSchema, name, 'path'), alias: parseRequest(aliasPathSchema, alias, 'path'),
      ...parseRequest(setAliasBodySchema, body ?? {}, 'body'), actor: actorOf(req.principal, req.headers['x-vigil-actor']),
    });
  }

  @Post(':name/aliases/:alias/rollback')
  @HttpCode(200)
  @Access('admin')
  @ApiOperation({ summary: 'Roll an alias back to the version it held before its last move (409 REGISTRY.NOTHING_TO_ROLL_BACK past the first)' })
  @ApiParam({ name: 'name' }) @ApiParam({ name: 'alias', enum: ['production', 'canary', 'shadow'] })
  @ApiBody({ schema: openApiSchema(rollbackBodySchema, 'input'), required: false })
  rollback(@Param('name') name: string, @Param('alias') alias: string, @Body() body: unknown, @Req() req: AuthenticatedRequest): Promise<unknown> {
    return this.models.ask('rollback', {
      name: parseRequest(modelNamePathSchema, name, 'path'), alias: parseRequest(aliasPathSchema, alias, 'path'),
      ...parseRequest(rollbackBodySchema, body ?? {}, 'body'), actor: actorOf(req.principal, req.headers['x-vigil-actor']),
    });
  }

  @Get(':name/history')
  @Access('viewer')
  @ApiOperation({ summary: 'Alias history, newest first: who moved which alias from where to where, when and why' })
  @ApiParam({ name: 'name' }) @ApiQuery({ name: 'alias', required: false }) @ApiQuery({ name: 'limit', required: false })
  history(@Param('name') name: string, @Query() query: Record<string, unknown>): Promise<unknown> {
    return this.models.ask('aliasHistory', { name: parseRequest(modelNamePathSchema, name, 'path'), ...parseRequest(historyQuerySchema, query, 'query') });
  }

  @Get(':name/rollout')
  @Access('viewer')
  @ApiOperation({ summary: 'Rollout status: per alias the target and how many replicas serve each version; failures with reasons; loading; shadow agreement' })
  @ApiParam({ name: 'name' })
  rollout(@Param('name') name: string): Promise<unknown> {
    return this.models.ask('rolloutStatus', { name: parseRequest(modelNamePathSchema, name, 'path') });
  }
}
