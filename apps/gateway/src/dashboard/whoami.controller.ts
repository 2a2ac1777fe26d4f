import { Controller, Get, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator';
import { type AuthenticatedRequest } from '../auth/auth.guard';
import { openApiSchema } from '../http/openapi.setup';
import { type WhoAmI, whoAmISchema } from './dashboard.schemas';

/** Who the presented key is: the dashboard shows only the controls its role may use. */
@ApiTags('auth')
@Controller('api/v1/auth')
export class WhoAmIController {
  @Get('whoami')
  @Access('viewer')
  @ApiOperation({ summary: "The presented key's id, name and role" })
  @ApiOkResponse({ schema: openApiSchema(whoAmISchema) })
  whoami(@Req() req: AuthenticatedRequest): WhoAmI {
    const p = req.principal;
    // The guard has run (every route declares a role), so a principal is always there.
    return { keyId: p?.keyId ?? '', name: p?.name ?? '', role: p?.role ?? 'viewer' };
  }
}
