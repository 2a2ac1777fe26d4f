import { decodeThreatBatchMessage, encodeThreatBatchMessage } from './threat-batch.schemas';

const batch = {
  batchId: 'b1', contract: { id: 'cicflowmeter' as const, version: 1 }, sensor: 's', ingestedAt: '2026-01-01T00:00:00.000Z',
  detectedAt: '2026-01-01T00:00:00.000Z', classifiedAt: '2026-01-01T00:00:00.000Z', correlationId: 'c',
  detector: { name: 'threat-detector-cicflowmeter', version: 1 }, classifier: { name: 'attack-classifier-cicflowmeter', version: 1 },
};
const threat = { flowId: 'f', envelope: { srcIp: '172.16.0.1' }, attackClass: 'PortScan', probability: 0.9, top: [{ class: 'PortScan', probability: 0.9 }], detectorProbability: 0.99 };

describe('threat explanation (optional field of a threat)', () => {
  it('round-trips with and without an explanation; a NaN feature value travels as null', () => {
    const explanation = { method: 'treeshap' as const, target: 'P(PortScan)', expectedValue: 0.1, top: [{ feature: 'Flow Duration', value: NaN, contribution: 0.4 }] };
    const back = decodeThreatBatchMessage(encodeThreatBatchMessage({ ...batch, threats: [threat, { ...threat, explanation }] }));
    expect(back.threats[0].explanation).toBeUndefined();
    expect(back.threats[1].explanation).toEqual({ ...explanation, top: [{ feature: 'Flow Duration', value: null, contribution: 0.4 }] });
  });

  it('rejects an unknown method', () => {
    const bad = { method: 'lime', target: 'P(x)', expectedValue: 0, top: [] };
    expect(() => decodeThreatBatchMessage(encodeThreatBatchMessage({ ...batch, threats: [{ ...threat, explanation: bad as never }] }))).toThrow();
  });
});
