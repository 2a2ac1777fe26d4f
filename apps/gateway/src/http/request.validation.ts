import { type z } from 'zod';
import { InvalidRequestError } from './http.errors';

/** Parses a query, body or path part with its zod schema; a mismatch is a 400 naming every issue. */
export function parseRequest<S extends z.ZodType>(schema: S, value: unknown, where: 'query' | 'body' | 'path'): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.slice(0, 20).map((i) => ({ path: i.path.join('.') || '(root)', message: i.message }));
  throw new InvalidRequestError(`invalid ${where}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, { where, issues });
}
