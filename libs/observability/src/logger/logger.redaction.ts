import { REDACTED, redactUrl } from '@vigil/config';

/**
 * Log field names that hold secrets. Narrower than the env-var rule (which treats any *KEY* as
 * secret) because log objects use plain `key` fields (config issues, cache keys) that must show.
 */
export const SECRET_FIELD_PATTERN = /passw(or)?d|secret|token|(api|private|access|signing|encryption)_?-?key|^authorization$|^cookie$|^set-cookie$/i;

const MAX_DEPTH = 6;

/** A copy of a log object with secret-named keys and URL passwords hidden, at any depth. */
export function redactSecrets(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return value.includes('://') ? redactUrl(value) : value;
  if (value === null || typeof value !== 'object' || depth >= MAX_DEPTH) return value;
  if (value instanceof Error) return value;
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = SECRET_FIELD_PATTERN.test(key) ? REDACTED : redactSecrets(item, depth + 1);
  }
  return out;
}
