import { type z } from 'zod';
import { SelfHealingError, SELF_HEALING_ERROR_CODES } from '../self-healing.errors';

/** Validates a request payload; every problem goes back to the caller under SELF_HEALING.INVALID_REQUEST. */
export function parseRequest<S extends z.ZodType>(schema: S, payload: unknown, subject: string): z.output<S> {
  const result = schema.safeParse(payload ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`);
  throw new SelfHealingError({
    code: SELF_HEALING_ERROR_CODES.InvalidRequest,
    message: `invalid ${subject} request: ${problems.join('; ')}`,
    kind: 'invalid-input',
    details: { subject, problems },
  });
}
