import { getContract } from '@vigil/contracts';
import { namedFeatures } from './alert-features.service';

const nsl = getContract('nsl-kdd');

function packed(values: number[]): Buffer {
  const b = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => b.writeFloatLE(v, i * 4));
  return b;
}

describe('namedFeatures', () => {
  const row = nsl.features.map((f, i) => (f.vocabulary ? 0 : i + 0.5));

  it('names every value by the contract, categorical codes as their word', () => {
    const named = namedFeatures({ contract: 'nsl-kdd', contractVersion: nsl.version, packed: packed(row) });
    expect(Object.keys(named)).toEqual(nsl.features.map((f) => f.name));
    expect(named.duration).toBe(0.5);
    expect(named.protocol_type).toBe(nsl.features[1].vocabulary?.[0]);
  });

  it('reads NaN as null, ±Infinity as strings and an out-of-vocabulary code as (unknown)', () => {
    const odd = [...row];
    odd[0] = NaN;
    odd[4] = Infinity;
    odd[5] = -Infinity;
    odd[1] = nsl.features[1].unknownCode ?? 99;
    const named = namedFeatures({ contract: 'nsl-kdd', contractVersion: nsl.version, packed: packed(odd) });
    expect(named).toMatchObject({ duration: null, src_bytes: 'Infinity', dst_bytes: '-Infinity', protocol_type: '(unknown)' });
  });

  it('keeps positional names for a contract version it does not know', () => {
    const named = namedFeatures({ contract: 'nsl-kdd', contractVersion: nsl.version + 1, packed: packed([1, 2]) });
    expect(named).toEqual({ feature_0: 1, feature_1: 2 });
  });
});
