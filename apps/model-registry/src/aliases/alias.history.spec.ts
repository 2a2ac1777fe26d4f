import { rollbackTarget, toModelAliases } from './alias.history';

describe('rollbackTarget', () => {
  it('has nothing to roll back before the first move', () => {
    expect(rollbackTarget([])).toBeUndefined();
  });

  it('goes back to the unset state after the first move (production refuses that; canary and shadow clear)', () => {
    expect(rollbackTarget([{ kind: 'import', from: null, to: 1 }])).toBeNull();
  });

  it('walks back one move per rollback instead of flipping between two versions', () => {
    const moves = [
      { kind: 'import', from: null, to: 1 },
      { kind: 'move', from: 1, to: 2 },
      { kind: 'move', from: 2, to: 3 },
    ] as const;
    expect(rollbackTarget(moves)).toBe(2);
    const once = [...moves, { kind: 'rollback', from: 3, to: 2 } as const];
    expect(rollbackTarget(once)).toBe(1);
    const twice = [...once, { kind: 'rollback', from: 2, to: 1 } as const];
    expect(rollbackTarget(twice)).toBeNull();
  });

  it('ignores moves that kept the version (a canary share change) and resumes after a new move', () => {
    expect(rollbackTarget([
      { kind: 'move', from: null, to: 4 },
      { kind: 'move', from: 4, to: 4 },
      { kind: 'move', from: 4, to: 5 },
      { kind: 'rollback', from: 5, to: 4 },
      { kind: 'move', from: 4, to: 6 },
    ])).toBe(4);
  });
});

describe('toModelAliases', () => {
  it('keeps the canary share only on the canary', () => {
    expect(toModelAliases([
      { alias: 'production', version: 2, canaryShare: null },
      { alias: 'canary', version: 3, canaryShare: 10 },
      { alias: 'shadow', version: 4, canaryShare: null },
    ])).toEqual({ production: { version: 2 }, canary: { version: 3, canaryShare: 10 }, shadow: { version: 4 } });
  });
});
