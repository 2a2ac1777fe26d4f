import { deadLetterSubject } from './dead-letter.service';

describe('deadLetterSubject', () => {
  it('files a consumer\'s dead letters under dlq.<stream>.<durable>, which the DLQ stream (dlq.>) captures', () => {
    expect(deadLetterSubject('FLOWS', 'detection')).toBe('dlq.FLOWS.detection');
  });
});
