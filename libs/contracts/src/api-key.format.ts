import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/**
 * Gateway API keys. `viewer < operator < admin` form a ladder; `bouncer` stands apart and
 * reads only the decision stream. A key is `vgl_<id>_<secret>`: the id finds the row, the
 * secret (32 random bytes) is stored only as its sha256, compared in constant time.
 */
export const API_KEY_ROLES = ['viewer', 'operator', 'admin', 'bouncer'] as const;
export const apiKeyRoleSchema = z.enum(API_KEY_ROLES);
export type ApiKeyRole = (typeof API_KEY_ROLES)[number];

const LADDER: readonly ApiKeyRole[] = ['viewer', 'operator', 'admin'];

/** Whether a key with `held` may call a route that declares `required`. */
export function roleSatisfies(held: ApiKeyRole, required: ApiKeyRole): boolean {
  if (required === 'bouncer') return held === 'bouncer' || held === 'admin';
  if (held === 'bouncer') return false;
  return LADDER.indexOf(held) >= LADDER.indexOf(required);
}

/** Roles that must be refused by a route declaring `required` (the auth matrix). */
export function weakerRoles(required: ApiKeyRole): ApiKeyRole[] {
  return API_KEY_ROLES.filter((r) => !roleSatisfies(r, required));
}

export interface GeneratedApiKey {
  readonly id: string;
  /** The whole key, shown to its owner once. */
  readonly key: string;
  readonly secretHash: Buffer;
}

const KEY_PATTERN = /^vgl_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export function generateApiKey(): GeneratedApiKey {
  const id = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { id, key: `vgl_${id}_${secret}`, secretHash: hashApiKeySecret(secret) };
}

/** The id and secret of a well-formed key, else null. */
export function parseApiKey(key: string): { id: string; secret: string } | null {
  const match = KEY_PATTERN.exec(key);
  return match === null ? null : { id: match[1], secret: match[2] };
}

export function hashApiKeySecret(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

export function secretMatches(secret: string, storedHash: Uint8Array): boolean {
  const hash = hashApiKeySecret(secret);
  return storedHash.length === hash.length && timingSafeEqual(hash, storedHash);
}
