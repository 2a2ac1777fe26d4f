import { createBatchParser } from './batch.parser';
import { SAMPLES, sampleLines } from './contracts-test.fixture';
import { featureIndex } from './contract.registry';
import { detectFormat } from './format.detection';

function parserFor(sample: string) {
  const lines = sampleLines(sample);
  const detection = detectFormat(lines[0]);
  return { parser: createBatchParser(detection), lines, data: detection.hasHeader ? lines.slice(1) : lines };
}

describe('batch parser', () => {
  it('turns bad rows into precise RowErrors and keeps the good rows around them', () => {
    const { parser, data } = parserFor(SAMPLES.nslKdd);
    const good = data.slice(0, 3);
    const badNumber = good[1].replace(/^0,/, 'zero,');
    const short = good[1].split(',').slice(0, 40).join(',');
    const badLabel = good[1].replace(/,normal,/, ',teleport,');
    const batch = parser.parseLines([good[0], badNumber, short, '', good[1], badLabel, good[2]], 10);
    expect(batch.count).toBe(3);
    expect(Array.from(batch.rowNumbers)).toEqual([10, 14, 16]);
    expect(batch.errors).toEqual([
      { row: 11, field: 'duration', code: 'CONTRACTS.BAD_NUMBER', reason: 'not a number: "zero"' },
      { row: 12, code: 'CONTRACTS.FIELD_COUNT', reason: 'expected 43 fields, got 40' },
      { row: 15, field: 'label', code: 'CONTRACTS.UNKNOWN_LABEL', reason: 'unknown nsl-kdd label "teleport"' },
    ]);
    expect(batch.features).toHaveLength(3 * 41);
    expect(batch.labels.map((l) => l?.label)).toEqual(['normal', 'normal', 'neptune']);
    expect(batch.envelopes[0]).toEqual({ protocol: 6 });
  });

  it('encodes categoricals, gives unseen values the unknown code and counts them', () => {
    const { parser, data } = parserFor(SAMPLES.nslKdd);
    const row = data[0].split(',');
    const unseen = [...row.slice(0, 2), 'tftp_x', ...row.slice(3)].join(',');
    const batch = parser.parseLines([data[0], unseen, unseen], 1);
    expect(batch.errors).toEqual([]);
    const service = 2;
    expect(batch.features[service]).toBe(parser.detection.contract.features[service].vocabulary!.indexOf(row[2]));
    expect(batch.features[41 + service]).toBe(70);
    expect(parser.unknownValues()).toEqual({ service: { tftp_x: 2 } });
  });

  it('reads Infinity, -Infinity, NaN and empty cells as ±Infinity and NaN', () => {
    const { parser, data } = parserFor(SAMPLES.mlcve);
    const contract = parser.detection.contract;
    const row = data.find((l) => l.includes('Infinity'))!.split(',');
    const bytesCol = parser.detection.columnMap.find((c) => c.target === 'Flow Bytes/s')!.index;
    const packetsCol = parser.detection.columnMap.find((c) => c.target === 'Flow Packets/s')!.index;
    const iatCol = parser.detection.columnMap.find((c) => c.target === 'Flow IAT Mean')!.index;
    const variants = [['Infinity', '-Infinity', 'NaN'], ['inf', '-inf', ''], ['NaN', 'Infinity', ' ']].map(([a, b, c]) => {
      const cells = [...row];
      cells[bytesCol] = a;
      cells[packetsCol] = b;
      cells[iatCol] = c;
      return cells.join(',');
    });
    const batch = parser.parseLines(variants, 2);
    expect(batch.errors).toEqual([]);
    const at = (i: number, name: string) => batch.features[i * contract.features.length + featureIndex(contract, name)];
    expect([at(0, 'Flow Bytes/s'), at(0, 'Flow Packets/s'), at(0, 'Flow IAT Mean')]).toEqual([Infinity, -Infinity, NaN]);
    expect([at(1, 'Flow Bytes/s'), at(1, 'Flow Packets/s'), at(1, 'Flow IAT Mean')]).toEqual([Infinity, -Infinity, NaN]);
    expect([at(2, 'Flow Bytes/s'), at(2, 'Flow Packets/s'), at(2, 'Flow IAT Mean')]).toEqual([NaN, Infinity, NaN]);
    expect(at(0, 'ICMP Code')).toBeNaN();
  });

  it('parses quoted fields and reports an unterminated quote', () => {
    const { parser, data } = parserFor(SAMPLES.improved);
    const quoted = data[0].split(',').map((c) => `"${c}"`).join(',');
    const batch = parser.parseLines([quoted, data[0], '"' + data[0]], 2);
    expect(batch.count).toBe(2);
    expect(Array.from(batch.features.subarray(0, 81))).toEqual(Array.from(batch.features.subarray(81, 162)));
    expect(batch.errors).toEqual([{ row: 4, code: 'CONTRACTS.UNTERMINATED_QUOTE', reason: 'a quoted field is not closed' }]);
  });

  it('fills the improved envelope with ISO-8601 UTC timestamps and rejects a bad port', () => {
    const { parser, data } = parserFor(SAMPLES.improved);
    const cells = data[0].split(',');
    const badPort = [...cells.slice(0, 3), '70000', ...cells.slice(4)].join(',');
    const batch = parser.parseLines([data[0], badPort], 2);
    expect(batch.envelopes[0]).toEqual({
      flowId: '172.16.0.1-192.168.10.50-46586-22-6', srcIp: '172.16.0.1', srcPort: 46586, dstIp: '192.168.10.50',
      dstPort: 22, protocol: 6, timestamp: '2017-07-04T17:11:56.367513Z',
    });
    expect(batch.errors).toEqual([
      { row: 3, field: 'Src Port', code: 'CONTRACTS.BAD_ENVELOPE', reason: 'not an integer in 0..65535: "70000"' },
    ]);
  });

  it('reads CSE-CIC-IDS2018 day-first timestamps as UTC', () => {
    const { parser, data } = parserFor(SAMPLES.cse2018);
    const batch = parser.parseLines(data.slice(0, 1), 2);
    expect(batch.envelopes[0].timestamp).toBe('2017-07-04T17:11:56.000Z');
    expect(batch.labels[0]).toEqual({ raw: 'SSH-Bruteforce', label: 'SSH-Patator', family: 'BruteForce', isAttack: true });
  });
});
