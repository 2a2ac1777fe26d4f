import { attackTypeFolds, stratifiedFolds } from './attack-type.folds';
import { NSL_KDD_CONTRACT } from '@vigil/contracts';
import { loadSample } from './ml-test.fixture';

const familyOf = new Map(NSL_KDD_CONTRACT.labels.map((l) => [l.label, l.family]));

describe('attackTypeFolds', () => {
  it('holds out every attack type whole, spreads each category over folds and is seeded', async () => {
    const set = await loadSample('label');
    const types = Array.from(set.y, (k) => (set.classNames[k] === 'normal' ? null : set.classNames[k]));
    const args = { types, categoryOf: (t: string) => familyOf.get(t) ?? '', categories: ['DoS', 'Probe', 'R2L', 'U2R'], nFolds: 5, seed: 1 };
    const { fold, heldOut } = attackTypeFolds(args);
    const foldsOfType = new Map<string, Set<number>>();
    types.forEach((t, i) => t !== null && (foldsOfType.get(t) ?? foldsOfType.set(t, new Set()).get(t))?.add(fold[i]));
    for (const folds of foldsOfType.values()) expect(folds.size).toBe(1);
    expect(heldOut.flat().sort()).toEqual([...foldsOfType.keys()].sort());
    const dosFolds = new Set(heldOut.flatMap((ts, k) => (ts.some((t) => familyOf.get(t) === 'DoS') ? [k] : [])));
    expect(dosFolds.size).toBeGreaterThan(2);
    const normalFolds = new Set(types.flatMap((t, i) => (t === null ? [fold[i]] : [])));
    expect(normalFolds.size).toBe(5);
    expect(attackTypeFolds(args).fold).toEqual(fold);
  });

  it('names an attack type outside the listed categories', () => {
    expect(() => attackTypeFolds({ types: ['x'], categoryOf: () => 'Other', categories: ['DoS'], nFolds: 2, seed: 1 })).toThrow('attack type x');
  });
});

describe('stratifiedFolds', () => {
  it('keeps each class balanced across folds', () => {
    const y = Int32Array.from({ length: 100 }, (_, i) => (i < 80 ? 0 : 1));
    const fold = stratifiedFolds({ y, nClasses: 2, nFolds: 5, seed: 4 });
    for (let k = 0; k < 5; k++) {
      expect(Array.from(y).filter((v, i) => v === 1 && fold[i] === k)).toHaveLength(4);
      expect(Array.from(y).filter((v, i) => v === 0 && fold[i] === k)).toHaveLength(16);
    }
  });
});
