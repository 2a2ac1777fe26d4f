import { ContractError } from './contract.errors';
import { contracts, featureIndex, getContract } from './contract.registry';

describe('contract registry', () => {
  it('nsl-kdd v1 has the 41 features in UNB order with the KDDTrain+ vocabularies', () => {
    const c = getContract('nsl-kdd');
    expect(c.version).toBe(1);
    expect(c.features).toHaveLength(41);
    expect(c.features.slice(0, 5).map((f) => f.name)).toEqual(['duration', 'protocol_type', 'service', 'flag', 'src_bytes']);
    expect(c.features[40].name).toBe('dst_host_srv_rerror_rate');
    const categorical = c.features.filter((f) => f.kind === 'categorical');
    expect(categorical.map((f) => [f.name, f.vocabulary?.length, f.unknownCode])).toEqual([
      ['protocol_type', 3, 3], ['service', 70, 70], ['flag', 11, 11],
    ]);
    expect(c.features.find((f) => f.name === 'logged_in')?.unit).toBe('binary');
    expect(c.features.find((f) => f.name === 'serror_rate')?.unit).toBe('rate');
    expect(c.features.find((f) => f.name === 'count')?.unit).toBe('count');
  });

  it('nsl-kdd maps all 23 train and 17 test-only attacks onto the 5 categories', () => {
    const c = getContract('nsl-kdd');
    const byFamily = (family: string) => c.labels.filter((l) => l.family === family && l.label !== family).map((l) => l.label).sort();
    expect(byFamily('DoS')).toEqual(['apache2', 'back', 'land', 'mailbomb', 'neptune', 'pod', 'processtable', 'smurf', 'teardrop', 'udpstorm']);
    expect(byFamily('Probe')).toEqual(['ipsweep', 'mscan', 'nmap', 'portsweep', 'saint', 'satan']);
    expect(byFamily('U2R')).toEqual(['buffer_overflow', 'loadmodule', 'perl', 'ps', 'rootkit', 'sqlattack', 'xterm']);
    expect(byFamily('R2L')).toHaveLength(16);
    expect(c.families).toEqual(['normal', 'DoS', 'Probe', 'R2L', 'U2R']);
  });

  it('cicflowmeter v1 carries the union of the three layouts, names unique', () => {
    const c = getContract('cicflowmeter');
    expect(c.features).toHaveLength(81);
    expect(new Set(c.features.map((f) => f.name)).size).toBe(81);
    for (const name of ['Flow Duration', 'Init_Win_bytes_forward', 'ICMP Code', 'ICMP Type', 'Total TCP Flow Time']) {
      expect(featureIndex(c, name)).toBeGreaterThanOrEqual(0);
    }
    expect(featureIndex(c, 'Destination Port')).toBe(-1);
    expect(c.features.every((f) => f.kind === 'numeric')).toBe(true);
  });

  it('lists both contracts and rejects an unknown id with a stable code', () => {
    expect(contracts.map((c) => c.id)).toEqual(['nsl-kdd', 'cicflowmeter']);
    expect(() => getContract('unsw')).toThrow(ContractError);
    expect(() => getContract('unsw')).toThrow(expect.objectContaining({ code: 'CONTRACTS.UNKNOWN_CONTRACT' }));
  });
});
