import { type z } from 'zod';
import { REGISTRY_ERROR_CODES as C, RegistryError } from '../model-registry.errors';

/** Validates a request payload; every problem goes back under REGISTRY.INVALID_REQUEST. */
export function parseRequest<S extends z.ZodType>(schema: S, payload: unknown, subject: string): z.output<S> {
  const result = schema.safeParse(payload ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`);
  throw new RegistryError(C.InvalidRequest, `invalid ${subject} request: ${problems.join('; ')}`, { subject, problems });
}
