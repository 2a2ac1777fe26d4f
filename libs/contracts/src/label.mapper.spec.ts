import { getContract } from './contract.registry';
import { type CanonicalLabel } from './contract.types';
import { encodeLabel, isRowError, mapLabel } from './label.mapper';

function canonical(contract: 'nsl-kdd' | 'cicflowmeter', raw: string): CanonicalLabel {
  const mapped = mapLabel(contract, raw);
  if (isRowError(mapped)) throw new Error(mapped.reason);
  return mapped;
}

describe('mapLabel', () => {
  it.each([
    ['apache2', 'DoS'], ['processtable', 'DoS'], ['mailbomb', 'DoS'], ['udpstorm', 'DoS'],
    ['mscan', 'Probe'], ['saint', 'Probe'],
    ['snmpguess', 'R2L'], ['snmpgetattack', 'R2L'], ['httptunnel', 'R2L'], ['named', 'R2L'], ['sendmail', 'R2L'],
    ['xlock', 'R2L'], ['xsnoop', 'R2L'], ['worm', 'R2L'], ['warezclient', 'R2L'], ['guess_passwd', 'R2L'],
    ['ps', 'U2R'], ['xterm', 'U2R'], ['sqlattack', 'U2R'], ['buffer_overflow', 'U2R'],
    ['neptune', 'DoS'], ['smurf', 'DoS'], ['satan', 'Probe'], ['normal', 'normal'], ['normal.', 'normal'],
  ])('nsl-kdd %s -> %s', (raw, family) => {
    const label = canonical('nsl-kdd', raw);
    expect(label.family).toBe(family);
    expect(label.isAttack).toBe(family !== 'normal');
    expect(label.raw).toBe(raw);
  });

  it.each([
    ['Web Attack \x96 Brute Force', 'Web Attack - Brute Force'],
    ['Web Attack \uFFFD Brute Force', 'Web Attack - Brute Force'],
    ['Web Attack \u00C2\x96 XSS', 'Web Attack - XSS'],
    ['Web Attack \u00E2\x80\x93 XSS', 'Web Attack - XSS'],
    ['Web Attack \u2013 Sql Injection', 'Web Attack - Sql Injection'],
    ['Web Attack - SQL Injection', 'Web Attack - Sql Injection'],
    ['SQL Injection', 'Web Attack - Sql Injection'],
    ['Portscan', 'PortScan'], ['PortScan', 'PortScan'],
    ['Botnet', 'Bot'], ['Bot', 'Bot'],
    ['DoS slowloris', 'DoS slowloris'], ['DoS Slowloris', 'DoS slowloris'], ['DoS attacks-Slowloris', 'DoS slowloris'],
    ['Infiltration - Portscan', 'Infiltration - Portscan'], ['Infilteration', 'Infiltration'],
    ['FTP-BruteForce', 'FTP-Patator'], ['Benign', 'BENIGN'], ['BENIGN', 'BENIGN'],
  ])('cicflowmeter %j -> %s', (raw, label) => {
    expect(canonical('cicflowmeter', raw)).toMatchObject({ raw, label });
  });

  it('maps a coarse family label to the family itself', () => {
    expect(canonical('cicflowmeter', 'DoS')).toEqual({ raw: 'DoS', label: 'DoS', family: 'DoS', isAttack: true });
    expect(canonical('cicflowmeter', 'BruteForce')).toMatchObject({ label: 'BruteForce', family: 'BruteForce' });
    expect(canonical('cicflowmeter', 'Portscan').family).toBe('Recon');
    expect(canonical('cicflowmeter', 'BENIGN')).toMatchObject({ family: 'Benign', isAttack: false });
  });

  it('returns a RowError for an unknown label', () => {
    expect(mapLabel('cicflowmeter', 'Zero-day', 7)).toEqual({
      row: 7, field: 'label', code: 'CONTRACTS.UNKNOWN_LABEL', reason: 'unknown cicflowmeter label "Zero-day"',
    });
  });

  it('encodes labels and families as class indexes', () => {
    const c = getContract('nsl-kdd');
    const smurf = canonical('nsl-kdd', 'smurf');
    expect(c.labels[encodeLabel(c, smurf)].label).toBe('smurf');
    expect(encodeLabel(c, smurf, 'family')).toBe(1);
  });
});
