import { SAMPLES, sampleLines } from './contracts-test.fixture';
import { ContractError } from './contract.errors';
import { detectFormat } from './format.detection';

const headerOf = (name: string): string => sampleLines(name)[0];

describe('detectFormat', () => {
  it.each([
    [SAMPLES.nslKdd, 'nsl-kdd/unb-text', 'nsl-kdd', false],
    [SAMPLES.mlcve, 'cicflowmeter/cic-ids2017-mlcve', 'cicflowmeter', true],
    [SAMPLES.westernoc2, 'cicflowmeter/cic-ids2017-mlcve-stripped', 'cicflowmeter', true],
    [SAMPLES.improved, 'cicflowmeter/cic-ids2017-improved', 'cicflowmeter', true],
    [SAMPLES.cse2018, 'cicflowmeter/cse-cic-ids2018', 'cicflowmeter', true],
  ])('tells %s apart as %s', (sample, variant, contract, hasHeader) => {
    const d = detectFormat(headerOf(sample));
    expect({ variant: d.variant, contract: d.contract.id, hasHeader: d.hasHeader, hasLabel: d.hasLabel }).toEqual({
      variant, contract, hasHeader, hasLabel: true,
    });
  });

  it('keeps MachineLearningCVE Destination Port as envelope and drops the duplicated Fwd Header Length', () => {
    const d = detectFormat(headerOf(SAMPLES.mlcve));
    expect(d.columnMap[0]).toEqual({ index: 0, name: ' Destination Port', role: 'envelope', target: 'dstPort' });
    const fwdHeader = d.columnMap.filter((c) => c.name === ' Fwd Header Length');
    expect(fwdHeader.map((c) => c.role)).toEqual(['feature', 'ignored']);
    expect(d.absentFeatures).toEqual(['Fwd RST Flags', 'Bwd RST Flags', 'ICMP Code', 'ICMP Type', 'Total TCP Flow Time']);
  });

  it('maps the improved envelope columns and never uses them as features', () => {
    const d = detectFormat(headerOf(SAMPLES.improved));
    const envelope = d.columnMap.filter((c) => c.role === 'envelope').map((c) => c.target);
    expect(envelope).toEqual(['flowId', 'srcIp', 'srcPort', 'dstIp', 'dstPort', 'protocol', 'timestamp']);
    expect(d.columnMap.filter((c) => c.role === 'ignored').map((c) => c.name)).toEqual(['id', 'Attempted Category']);
    expect(d.absentFeatures).toEqual([]);
  });

  it('detects an NSL-KDD CSV with a header and a class column', () => {
    const names = detectFormat(headerOf(SAMPLES.nslKdd)).contract.features.map((f) => f.name);
    const d = detectFormat(['\uFEFF' + names.join(','), 'class', 'difficulty'].join(','));
    expect(d.variant).toBe('nsl-kdd/csv');
    expect(d.columnMap.slice(41).map((c) => c.role)).toEqual(['label', 'difficulty']);
  });

  it.each([
    [SAMPLES.mlcve, ' Flow IAT Max', 'cicflowmeter/cic-ids2017-mlcve'],
    [SAMPLES.improved, 'ICMP Code', 'cicflowmeter/cic-ids2017-improved'],
    [SAMPLES.cse2018, 'Tot Fwd Pkts', 'cicflowmeter/cse-cic-ids2018'],
  ])('rejects %s without %j, naming the column and the variant', (sample, column, variant) => {
    const header = headerOf(sample).split(',').filter((c) => c !== column).join(',');
    let error: unknown;
    try {
      detectFormat(header);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ContractError);
    expect(error).toMatchObject({ code: 'CONTRACTS.MISSING_COLUMN', details: { missing: [column.trim()], nearestVariant: variant } });
    expect((error as Error).message).toContain(`"${column.trim()}"`);
  });

  it('rejects an unrelated header and headerless CIC rows as UNKNOWN_FORMAT', () => {
    expect(() => detectFormat('id,dur,proto,service,state,spkts')).toThrow(expect.objectContaining({ code: 'CONTRACTS.UNKNOWN_FORMAT' }));
    const cicRow = sampleLines(SAMPLES.mlcve)[1];
    expect(() => detectFormat(cicRow)).toThrow(expect.objectContaining({ code: 'CONTRACTS.UNKNOWN_FORMAT' }));
  });

  it('restricts detection to the requested contract', () => {
    expect(() => detectFormat(headerOf(SAMPLES.improved), { contract: 'nsl-kdd' })).toThrow(ContractError);
  });
});
