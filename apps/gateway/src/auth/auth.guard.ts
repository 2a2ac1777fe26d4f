import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { type ApiKeyRole, roleSatisfies } from '@vigil/contracts';
import { type IncomingMessage } from 'node:http';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config';
import { RateLimitedError } from '../http/http.errors';
import { PUBLIC_PATHS } from '../http/openapi.setup';
import { ACCESS_METADATA } from './access.decorator';
import { ApiKeyService, type Principal, presentedKey } from './api-key.service';
import { InvalidApiKeyError, MissingApiKeyError, RoleTooWeakError, UndeclaredRouteError } from './auth.errors';
import { RateLimiter } from './rate-limit.service';

export type AuthenticatedRequest = IncomingMessage & { principal?: Principal; path?: string };

/** Global guard: the route's declared role, the presented key, its role, its rate limit. */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly limiter: RateLimiter;

  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeyService,
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
  ) {
    this.limiter = new RateLimiter(config.rateLimit);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const required = this.reflector.getAllAndOverride<ApiKeyRole | undefined>(ACCESS_METADATA, [context.getHandler(), context.getClass()]);
    if (required === undefined) {
      const path = (request.url ?? '').split('?')[0];
      if (PUBLIC_PATHS.has(path)) return true;
      throw new UndeclaredRouteError(`${request.method ?? '?'} ${path}`);
    }
    request.principal = await this.authenticate(request, required);
    return true;
  }

  private async authenticate(request: AuthenticatedRequest, required: ApiKeyRole): Promise<Principal> {
    const presented = presentedKey(request.headers);
    if (presented === undefined) throw new MissingApiKeyError();
    const principal = await this.keys.verify(presented);
    if (principal === null) throw new InvalidApiKeyError();
    if (!roleSatisfies(principal.role, required)) throw new RoleTooWeakError(required, principal.role);
    const wait = this.limiter.take(principal.keyId);
    if (wait > 0) throw new RateLimitedError(wait);
    return principal;
  }
}
