/** Keys whose values are secrets: never printed in errors or logs. */
export const SECRET_KEY_PATTERN = /PASSWORD|SECRET|TOKEN|KEY/i;

export const REDACTED = '[redacted]';

export function isSecretKey(key: string): boolean {
  return SECRET_KEY_PATTERN.test(key);
}

/** Hides the password of a URL (`postgres://user:pw@host`) so connection strings can be logged. */
export function redactUrl(value: string): string {
  return value.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*):[^@/\s]*@/i, `$1:${REDACTED}@`);
}

/** A copy of a parsed config safe to log: secret keys hidden, URL passwords hidden. */
export function redactConfig(config: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (isSecretKey(key)) out[key] = REDACTED;
    else if (typeof value === 'string' && value.includes('://')) out[key] = redactUrl(value);
    else if (value !== null && typeof value === 'object' && !Array.isArray(value)) out[key] = redactConfig(value);
    else out[key] = value;
  }
  return out;
}
