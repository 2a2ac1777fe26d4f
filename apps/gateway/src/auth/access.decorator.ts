import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension, ApiForbiddenResponse, ApiSecurity, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { type ApiKeyRole } from '@vigil/contracts';
import { ERROR_ENVELOPE_SCHEMA } from '../http/openapi.setup';

export const ACCESS_METADATA = 'vigil:access';
/** OpenAPI extension carrying a route's role; the auth-matrix test reads it. */
export const ROLE_EXTENSION = 'x-vigil-role';

/**
 * Declares the least role a route needs. Every gateway route carries one; a route without it is
 * refused by the guard and fails the route-table test.
 */
export function Access(role: ApiKeyRole): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(ACCESS_METADATA, role),
    ApiSecurity('apiKey'),
    ApiBearerAuth('bearer'),
    ApiExtension(ROLE_EXTENSION, role),
    ApiUnauthorizedResponse({ description: 'no key, or an unknown/revoked key', schema: ERROR_ENVELOPE_SCHEMA }),
    ApiForbiddenResponse({ description: `the key's role is weaker than ${role}`, schema: ERROR_ENVELOPE_SCHEMA }),
    ApiTooManyRequestsResponse({ description: 'the key is over its rate limit (see Retry-After)', schema: ERROR_ENVELOPE_SCHEMA }),
  );
}
