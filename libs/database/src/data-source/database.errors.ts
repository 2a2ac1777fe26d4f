import { VigilError } from '@vigil/errors';

export class DatabaseError extends VigilError {}

/** A schema name we would have to quote or that could smuggle SQL into `search_path`. */
export class InvalidSchemaNameError extends DatabaseError {
  constructor(schema: string) {
    super({
      code: 'DATABASE.INVALID_SCHEMA_NAME',
      kind: 'invalid-input',
      message: `Schema name "${schema}" must be lowercase letters, digits and _ (starting with a letter or _), at most 63 characters`,
      details: { schema },
    });
  }
}
