import { Inject, Injectable } from '@nestjs/common';
import { type ApiKeyRole, parseApiKey, secretMatches } from '@vigil/contracts';
import { LOGGER, type Logger } from '@vigil/observability';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config';
import { ApiKeyRepository, type StoredApiKey } from './api-key.repository';

export interface Principal {
  keyId: string;
  name: string;
  role: ApiKeyRole;
}

const TOUCH_EVERY_MS = 60_000;

/**
 * Verifies presented keys. A found row is cached for `keyCacheMs` (a revocation takes effect
 * within that time) so a busy client costs no database round trip per request.
 */
@Injectable()
export class ApiKeyService {
  private readonly cache = new Map<string, { key: StoredApiKey | null; until: number; touched: number }>();

  constructor(
    private readonly repository: ApiKeyRepository,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async verify(presented: string): Promise<Principal | null> {
    const parsed = parseApiKey(presented);
    if (parsed === null) return null;
    const now = Date.now();
    let entry = this.cache.get(parsed.id);
    if (entry === undefined || entry.until < now) {
      entry = { key: await this.repository.find(parsed.id), until: now + this.config.keyCacheMs, touched: entry?.touched ?? 0 };
      if (this.cache.size > 10_000) this.cache.clear();
      this.cache.set(parsed.id, entry);
    }
    const key = entry.key;
    if (key === null || key.revoked || !secretMatches(parsed.secret, key.secretHash)) return null;
    if (now - entry.touched > TOUCH_EVERY_MS) {
      entry.touched = now;
      this.repository.touch(key.id).catch((err: unknown) => this.logger.warn({ err }, 'could not record API key use'));
    }
    return { keyId: key.id, name: key.name, role: key.role };
  }
}

/** The key a request or WebSocket handshake presents: `X-Api-Key`, else `Authorization: Bearer`. */
export function presentedKey(headers: Record<string, string | string[] | undefined>): string | undefined {
  const header = headers['x-api-key'];
  const direct = Array.isArray(header) ? header[0] : header;
  if (direct !== undefined && direct !== '') return direct.trim();
  const auth = headers.authorization;
  const value = Array.isArray(auth) ? auth[0] : auth;
  const match = value === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(value);
  return match?.[1];
}
