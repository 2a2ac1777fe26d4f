import { Body, Controller, Delete, Get, Post, Put, Query, Req } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator';
import { type AuthenticatedRequest } from '../auth/auth.guard';
import { API_TAGS, openApiSchema } from '../http/openapi.setup';
import { parseRequest } from '../http/request.validation';
import { addAllowlistBodySchema, cidrQuerySchema, policyKeyQuerySchema, policySchema, setSimulationBodySchema, simulationSchema } from './decisions.schemas';
import { actorOf, SelfHealingRequests } from './self-healing-requests.service';

/** Simulation mode, the allowlist and the policies: self-healing's safety settings (admin to change). */
@ApiTags(API_TAGS.safety)
@Controller('api/v1')
export class SafetyController {
  constructor(private readonly selfHealing: SelfHealingRequests) {}

  @Get('simulation')
  @Access('viewer')
  @ApiOperation({ summary: 'Whether simulation mode is on (decisions recorded, nothing enforced), why, since when and by whom' })
  @ApiOkResponse({ schema: openApiSchema(simulationSchema) })
  simulation(): Promise<unknown> {
    return this.selfHealing.ask('getSimulation');
  }

  @Put('simulation')
  @Access('admin')
  @ApiOperation({ summary: 'Switch simulation mode on or off' })
  @ApiBody({ schema: openApiSchema(setSimulationBodySchema, 'input') })
  @ApiOkResponse({ schema: openApiSchema(simulationSchema) })
  setSimulation(@Body() body: unknown, @Req() req: AuthenticatedRequest): Promise<unknown> {
    return this.selfHealing.ask('setSimulation', { ...parseRequest(setSimulationBodySchema, body ?? {}, 'body'), actor: actorOf(req.principal, req.headers['x-vigil-actor']) });
  }

  @Get('allowlist')
  @Access('viewer')
  @ApiOperation({ summary: 'Allowlisted networks (configured and stored); nothing overlapping them is ever acted on' })
  allowlist(): Promise<unknown> {
    return this.selfHealing.ask('listAllowlist');
  }

  @Post('allowlist')
  @Access('admin')
  @ApiOperation({ summary: 'Allowlist a CIDR; open decisions it covers are revoked (listed in `revoked`)' })
  @ApiBody({ schema: openApiSchema(addAllowlistBodySchema, 'input') })
  @ApiCreatedResponse({ description: '{entry, revoked}' })
  addAllowlist(@Body() body: unknown, @Req() req: AuthenticatedRequest): Promise<unknown> {
    return this.selfHealing.ask('addAllowlist', { ...parseRequest(addAllowlistBodySchema, body ?? {}, 'body'), actor: actorOf(req.principal, req.headers['x-vigil-actor']) });
  }

  @Delete('allowlist')
  @Access('admin')
  @ApiOperation({ summary: 'Remove a stored allowlist entry (`?cidr=`); configured entries stay' })
  @ApiQuery({ name: 'cidr', required: true })
  @ApiOkResponse({ description: '{removed}' })
  removeAllowlist(@Query() query: Record<string, unknown>, @Req() req: AuthenticatedRequest): Promise<unknown> {
    return this.selfHealing.ask('removeAllowlist', { ...parseRequest(cidrQuerySchema, query, 'query'), actor: actorOf(req.principal, req.headers['x-vigil-actor']) });
  }

  @Get('policies')
  @Access('viewer')
  @ApiOperation({ summary: 'Effective policies (shipped defaults < policy file < API edits), one per (contract, attack class)' })
  @ApiOkResponse({ schema: { type: 'array', items: openApiSchema(policySchema) } })
  policies(): Promise<unknown> {
    return this.selfHealing.ask('listPolicies');
  }

  @Put('policies')
  @Access('admin')
  @ApiOperation({ summary: 'Create or replace the policy of one (contract, attack class)' })
  @ApiBody({ schema: openApiSchema(policySchema, 'input') })
  @ApiOkResponse({ schema: openApiSchema(policySchema) })
  upsertPolicy(@Body() body: unknown, @Req() req: AuthenticatedRequest): Promise<unknown> {
    return this.selfHealing.ask('upsertPolicy', { policy: parseRequest(policySchema, body ?? {}, 'body'), actor: actorOf(req.principal, req.headers['x-vigil-actor']) });
  }

  @Delete('policies')
  @Access('admin')
  @ApiOperation({ summary: 'Delete a stored policy edit (`?contract=&attackClass=`); the file or default underneath applies again' })
  @ApiQuery({ name: 'contract', required: true }) @ApiQuery({ name: 'attackClass', required: true })
  @ApiOkResponse({ description: '{removed}' })
  deletePolicy(@Query() query: Record<string, unknown>, @Req() req: AuthenticatedRequest): Promise<unknown> {
    return this.selfHealing.ask('deletePolicy', { ...parseRequest(policyKeyQuerySchema, query, 'query'), actor: actorOf(req.principal, req.headers['x-vigil-actor']) });
  }
}
