import { type z } from 'zod';
import { ConfigError, type ConfigIssue } from './config.errors';
import { REDACTED, isSecretKey, redactUrl } from './config.redaction';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Parses the environment once, at boot, into a typed config. An empty variable counts as
 * unset (so `FOO=` falls back to the default, as in most shells' `${FOO:-default}`).
 * Throws a ConfigError naming every bad key at once, with secret values redacted.
 */
export function loadConfig<S extends z.ZodType>(schema: S, env: Env = process.env): z.output<S> {
  const input: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && value !== '') input[key] = value;
  }
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues: ConfigIssue[] = result.error.issues.map((issue) => {
    const key = issue.path.length > 0 ? issue.path.map(String).join('.') : '(environment)';
    return { key, reason: describe(key, issue.message, input[key]) };
  });
  throw new ConfigError(dedupe(issues));
}

function describe(key: string, message: string, value: string | undefined): string {
  if (value === undefined) return message;
  const shown = isSecretKey(key) ? REDACTED : JSON.stringify(redactUrl(value));
  // zod messages do not echo input, but a custom refine might: scrub the raw value anyway.
  const safeMessage = isSecretKey(key) ? message.split(value).join(REDACTED) : message;
  return `${safeMessage} (got ${shown})`;
}

function dedupe(issues: ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const id = `${issue.key}\u0000${issue.reason}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
