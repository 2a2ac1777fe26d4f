import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { type Decision, decisionSchema } from '@vigil/contracts';
import { Access } from '../auth/access.decorator';
import { type AuthenticatedRequest } from '../auth/auth.guard';
import { API_TAGS, openApiSchema } from '../http/openapi.setup';
import { parseRequest } from '../http/request.validation';
import {
  createDecisionBodySchema, type DecisionPage, decisionIdPathSchema, decisionPageSchema, decisionWithAuditSchema, listDecisionsQuerySchema, reasonBodySchema,
} from './decisions.schemas';
import { DecisionsService } from './decisions.service';
import { actorOf, SelfHealingRequests } from './self-healing-requests.service';

type Transition = 'approveDecision' | 'rejectDecision' | 'revokeDecision';

@ApiTags(API_TAGS.decisions)
@Controller('api/v1/decisions')
export class DecisionsController {
  constructor(
    private readonly decisions: DecisionsService,
    private readonly selfHealing: SelfHealingRequests,
  ) {}

  @Get()
  @Access('viewer')
  @ApiOperation({ summary: 'Self-healing decisions, newest first; filter by status (comma list), action, scope, value, creation time; offset pages' })
  @ApiQuery({ name: 'status', required: false, description: 'e.g. active,pending-approval' }) @ApiQuery({ name: 'action', required: false })
  @ApiQuery({ name: 'scope', required: false }) @ApiQuery({ name: 'value', required: false })
  @ApiQuery({ name: 'from', required: false }) @ApiQuery({ name: 'to', required: false })
  @ApiQuery({ name: 'limit', required: false }) @ApiQuery({ name: 'offset', required: false })
  @ApiOkResponse({ schema: openApiSchema(decisionPageSchema) })
  list(@Query() query: Record<string, unknown>): Promise<DecisionPage> {
    return this.decisions.list(parseRequest(listDecisionsQuerySchema, query, 'query'));
  }

  @Get(':id')
  @Access('viewer')
  @ApiOperation({ summary: 'One decision with its audit trail (every status change: when, from, to, who, why)' })
  @ApiParam({ name: 'id' })
  @ApiOkResponse({ schema: openApiSchema(decisionWithAuditSchema) })
  get(@Param('id') id: string): Promise<unknown> {
    return this.selfHealing.ask('getDecision', { id: parseRequest(decisionIdPathSchema, id, 'path') });
  }

  @Post()
  @Access('operator')
  @ApiOperation({
    summary: 'Create a manual decision (ban, throttle, isolate or alert an IP or CIDR for a duration)',
    description: 'Active at once, or `simulated` while simulation mode is on. Allowlisted targets are refused with 403 SELF_HEALING.ALLOWLISTED; an invalid address is 400 SELF_HEALING.INVALID_ADDRESS.',
  })
  @ApiBody({ schema: openApiSchema(createDecisionBodySchema, 'input') })
  @ApiCreatedResponse({ schema: openApiSchema(decisionSchema) })
  create(@Body() body: unknown, @Req() req: AuthenticatedRequest): Promise<Decision> {
    const input = parseRequest(createDecisionBodySchema, body ?? {}, 'body');
    const scope = input.scope ?? (input.value.includes('/') ? 'range' : 'ip');
    return this.selfHealing.ask('createDecision', { ...input, scope, actor: actorOf(req.principal, req.headers['x-vigil-actor']) });
  }

  @Post(':id/revoke')
  @HttpCode(200)
  @Access('operator')
  @ApiOperation({ summary: 'Revoke (unban) a decision now' })
  @ApiParam({ name: 'id' }) @ApiBody({ schema: openApiSchema(reasonBodySchema, 'input'), required: false })
  @ApiOkResponse({ schema: openApiSchema(decisionSchema) })
  revoke(@Param('id') id: string, @Body() body: unknown, @Req() req: AuthenticatedRequest): Promise<Decision> {
    return this.transition('revokeDecision', { id, body, req });
  }

  @Post(':id/approve')
  @HttpCode(200)
  @Access('operator')
  @ApiOperation({ summary: 'Approve a pending-approval decision (it goes active, or simulated while simulation is on)' })
  @ApiParam({ name: 'id' }) @ApiBody({ schema: openApiSchema(reasonBodySchema, 'input'), required: false })
  @ApiOkResponse({ schema: openApiSchema(decisionSchema) })
  approve(@Param('id') id: string, @Body() body: unknown, @Req() req: AuthenticatedRequest): Promise<Decision> {
    return this.transition('approveDecision', { id, body, req });
  }

  @Post(':id/reject')
  @HttpCode(200)
  @Access('operator')
  @ApiOperation({ summary: 'Reject a pending-approval decision (it is revoked)' })
  @ApiParam({ name: 'id' }) @ApiBody({ schema: openApiSchema(reasonBodySchema, 'input'), required: false })
  @ApiOkResponse({ schema: openApiSchema(decisionSchema) })
  reject(@Param('id') id: string, @Body() body: unknown, @Req() req: AuthenticatedRequest): Promise<Decision> {
    return this.transition('rejectDecision', { id, body, req });
  }

  private transition(name: Transition, args: { id: string; body: unknown; req: AuthenticatedRequest }): Promise<Decision> {
    const id = parseRequest(decisionIdPathSchema, args.id, 'path');
    const { reason } = parseRequest(reasonBodySchema, args.body ?? {}, 'body');
    return this.selfHealing.ask(name, { id, reason, actor: actorOf(args.req.principal, args.req.headers['x-vigil-actor']) });
  }
}
