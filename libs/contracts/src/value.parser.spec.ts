import { parseNumberCell, parseTimestampCell } from './value.parser';

const cell = (text: string) => parseNumberCell(`x,${text},y`, 2, 2 + text.length);

describe('parseNumberCell', () => {
  it('reads every decimal exactly as Number() does', () => {
    const samples = [
      '0', '6', '-1', '3000000', '18.5', '17.6776695297', '87.30434782608695', '385028.09375000006', '0.0502428029999999',
      '-0.5', '.5', '1.', '1319481.3329999999', '1e5', '2.5E-3', '119000000', '9007199254740993', '0.000000000000000000000001',
    ];
    for (const s of samples) expect([s, cell(s)]).toEqual([s, Number(s)]);
  });

  it('reads missing and infinite tokens and refuses text', () => {
    expect([cell(''), cell(' '), cell('NaN'), cell('nan')]).toEqual([NaN, NaN, NaN, NaN]);
    expect([cell('Infinity'), cell('-Infinity'), cell('inf'), cell('-inf')]).toEqual([Infinity, -Infinity, Infinity, -Infinity]);
    expect([cell('abc'), cell('-'), cell('.'), cell('1.2.3')]).toEqual([undefined, undefined, undefined, undefined]);
  });
});

describe('parseTimestampCell', () => {
  it('returns ISO-8601 UTC for the layouts real files use', () => {
    expect(parseTimestampCell('2017-07-04 17:11:56.367513')).toBe('2017-07-04T17:11:56.367513Z');
    expect(parseTimestampCell('2017-07-04 17:11')).toBe('2017-07-04T17:11:00Z');
    expect(parseTimestampCell('14/02/2018 08:31:01')).toBe('2018-02-14T08:31:01.000Z');
    expect(parseTimestampCell('3/7/2017 8:55')).toBe('2017-07-03T08:55:00.000Z');
    expect(parseTimestampCell('2017-07-04T17:11:56+02:00')).toBe('2017-07-04T15:11:56.000Z');
    expect(parseTimestampCell('1499188316')).toBe('2017-07-04T17:11:56.000Z');
    expect(parseTimestampCell('31/02/2018 08:31:01')).toBeUndefined();
    expect(parseTimestampCell('yesterday')).toBeUndefined();
  });
});
