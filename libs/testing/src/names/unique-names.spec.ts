import { freshSchemaName, uniqueName } from './unique-names';

describe('unique names', () => {
  it('makes distinct, identifier-safe names', () => {
    const names = new Set(Array.from({ length: 100 }, () => freshSchemaName('Vigil-IT')));
    expect(names.size).toBe(100);
    for (const name of names) expect(name).toMatch(/^vigil_it_[0-9a-f]{10}$/);
    expect(uniqueName('flows')).toMatch(/^flows_[0-9a-f]{10}$/);
  });
});
