import { Controller, Get, Head, HttpCode, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { type ServerResponse } from 'node:http';
import { Access } from '../auth/access.decorator';
import { type AuthenticatedRequest } from '../auth/auth.guard';
import { API_TAGS, openApiSchema } from '../http/openapi.setup';
import { parseRequest } from '../http/request.validation';
import { CrowdSecService } from './crowdsec.service';
import { crowdSecDecisionSchema, decisionsQuerySchema, type StreamAnswer, streamAnswerSchema, streamQuerySchema } from './crowdsec.schemas';

/**
 * CrowdSec Local API endpoints that remediation components (bouncers) poll, so an unchanged
 * CrowdSec bouncer enforces Vigil's decisions. Auth as CrowdSec: `X-Api-Key` with a bouncer key.
 */
@ApiTags(API_TAGS.crowdsec)
@Controller('v1/decisions')
export class CrowdSecController {
  constructor(private readonly crowdsec: CrowdSecService) {}

  @Get('stream')
  @Access('bouncer')
  @ApiOperation({
    summary: 'CrowdSec decision stream: `startup=true` answers every decision in force; later polls what came into force (`new`) and left it (`deleted`) since this key polled',
  })
  @ApiQuery({ name: 'startup', required: false }) @ApiQuery({ name: 'scopes', required: false, description: 'default ip,range' })
  @ApiQuery({ name: 'origins', required: false }) @ApiQuery({ name: 'scenarios_containing', required: false }) @ApiQuery({ name: 'scenarios_not_containing', required: false })
  @ApiOkResponse({ schema: openApiSchema(streamAnswerSchema) })
  stream(@Query() query: Record<string, unknown>, @Req() req: AuthenticatedRequest): Promise<StreamAnswer> {
    const ua = req.headers['user-agent'];
    return this.crowdsec.stream({ keyId: req.principal?.keyId ?? 'unknown', query: parseRequest(streamQuerySchema, query, 'query'), userAgent: typeof ua === 'string' ? ua : null });
  }

  @Get()
  @Access('bouncer')
  @ApiOperation({ summary: 'Decisions in force matching `ip`, `range` (containing it; `contains=false`: inside it), `scope`, `value`, `type`; `null` when none, as CrowdSec answers' })
  @ApiQuery({ name: 'ip', required: false }) @ApiQuery({ name: 'range', required: false }) @ApiQuery({ name: 'scope', required: false })
  @ApiQuery({ name: 'value', required: false }) @ApiQuery({ name: 'type', required: false }) @ApiQuery({ name: 'contains', required: false })
  @ApiOkResponse({ schema: { type: 'array', nullable: true, items: openApiSchema(crowdSecDecisionSchema) } })
  async decisions(@Query() query: Record<string, unknown>, @Res() res: ServerResponse): Promise<void> {
    const found = await this.crowdsec.query(parseRequest(decisionsQuerySchema, query, 'query'));
    res.statusCode = 200;
    res.setHeader('content-type', 'application/json; charset=utf-8');
    res.end(JSON.stringify(found.length === 0 ? null : found));
  }

  @Head()
  @HttpCode(200)
  @Access('bouncer')
  @ApiOperation({ summary: 'HEAD /v1/decisions: 200 with no body for a valid bouncer key (what bouncers call to check their key)' })
  async head(@Query() query: Record<string, unknown>): Promise<void> {
    await this.crowdsec.query(parseRequest(decisionsQuerySchema, query, 'query'));
  }
}
