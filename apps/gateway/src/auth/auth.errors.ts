import { type ApiKeyRole } from '@vigil/contracts';
import { VigilError } from '@vigil/errors';

export class MissingApiKeyError extends VigilError {
  constructor() {
    super({ code: 'AUTH.MISSING_KEY', kind: 'unauthorized', message: 'this route needs an API key: send it as `X-Api-Key: <key>` or `Authorization: Bearer <key>`' });
  }
}

export class InvalidApiKeyError extends VigilError {
  constructor() {
    super({ code: 'AUTH.INVALID_KEY', kind: 'unauthorized', message: 'the API key is unknown, malformed or revoked' });
  }
}

export class RoleTooWeakError extends VigilError {
  constructor(required: ApiKeyRole, held: ApiKeyRole) {
    super({ code: 'AUTH.FORBIDDEN', kind: 'forbidden', message: `this route needs the ${required} role; the key has ${held}`, details: { required, held } });
  }
}

/** A route that declares no role: refused (fail closed) and caught by the route-table test. */
export class UndeclaredRouteError extends VigilError {
  constructor(route: string) {
    super({ code: 'AUTH.ROUTE_UNDECLARED', kind: 'internal', message: `route ${route} declares no role`, details: { route } });
  }
}
