import { VigilError, isVigilError } from './vigil-error';

describe('VigilError', () => {
  it('keeps a stable code, kind and details, and serialises without the stack', () => {
    const cause = new Error('socket closed');
    const error = new VigilError({
      code: 'CONTRACTS.MISSING_COLUMN',
      message: 'column "Flow Duration" is missing',
      kind: 'invalid-input',
      details: { column: 'Flow Duration' },
      cause,
    });
    expect(error.name).toBe('VigilError');
    expect(error.cause).toBe(cause);
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      code: 'CONTRACTS.MISSING_COLUMN',
      message: 'column "Flow Duration" is missing',
      details: { column: 'Flow Duration' },
    });
    expect(isVigilError(error)).toBe(true);
    expect(isVigilError(cause)).toBe(false);
  });

  it('names subclasses after themselves and defaults to an internal error', () => {
    class RegistryError extends VigilError {}
    const error = new RegistryError({ code: 'REGISTRY.X', message: 'x' });
    expect(error.name).toBe('RegistryError');
    expect(error.kind).toBe('internal');
    expect(error.details).toEqual({});
  });
});
