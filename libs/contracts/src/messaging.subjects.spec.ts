import { STREAMS, subjects } from './messaging.subjects';

describe('subjects', () => {
  it('builds every subject inside the stream that captures it', () => {
    const built = [
      [subjects.ingest('cicflowmeter'), 'ingest.cicflowmeter', 'INGEST'],
      [subjects.flows('nsl-kdd'), 'flows.nsl-kdd', 'FLOWS'],
      [subjects.detections('nsl-kdd'), 'detections.nsl-kdd', 'DETECTIONS'],
      [subjects.threats('cicflowmeter'), 'threats.cicflowmeter', 'THREATS'],
      [subjects.decisions('ban'), 'decisions.ban', 'DECISIONS'],
      [subjects.modelsActivated, 'models.activated', 'MODELS'],
      [subjects.dlq('FLOWS', 'detection'), 'dlq.FLOWS.detection', 'DLQ'],
    ] as const;
    for (const [subject, expected, stream] of built) {
      expect(subject).toBe(expected);
      expect(STREAMS[stream].subjects[0].replace('>', '')).toBe(subject.slice(0, subject.indexOf('.') + 1));
    }
  });

  it('refuses tokens that would fan out', () => {
    expect(() => subjects.dlq('FLOWS', 'a.b')).toThrow(RangeError);
    expect(() => subjects.dlq('*')).toThrow(RangeError);
  });
});
