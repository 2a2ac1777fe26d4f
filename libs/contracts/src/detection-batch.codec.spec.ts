import { decodeDetectionBatchMessage, encodeDetectionBatchMessage } from './detection-batch.codec';
import { decodeFlowBatchMessage, encodeFlowBatchMessage } from './flow-batch.codec';
import { getContract } from './contract.registry';
import { encodePackedFrame } from './packed-frame.codec';

const header = {
  batchId: 'b1', contract: { id: 'nsl-kdd' as const, version: getContract('nsl-kdd').version }, sensor: 's', ingestedAt: '2026-01-01T00:00:00.000Z',
  detectedAt: '2026-01-01T00:00:00.010Z', correlationId: 'c', model: { name: 'threat-detector-nsl-kdd', version: 3 }, threshold: 0.5,
  count: 3, featureCount: 41, flowIds: ['a', 'b', 'c'], envelopes: [{}, { srcIp: '10.0.0.1' }, {}], flagged: [1],
};

describe('detection batch codec', () => {
  it('round-trips the header, every probability and the flagged features, also from an unaligned Buffer view', () => {
    const features = Float32Array.from({ length: 41 }, (_, i) => (i === 3 ? NaN : i === 4 ? Infinity : i / 3));
    const bytes = encodeDetectionBatchMessage({ header, attackProbabilities: Float32Array.from([0.1, 0.9, 0.49]), flaggedFeatures: features });
    const pool = Buffer.alloc(bytes.length + 7);
    pool.set(bytes, 3);
    for (const view of [bytes, pool.subarray(3, 3 + bytes.length)]) {
      const m = decodeDetectionBatchMessage(view);
      expect(m.header).toMatchObject(header);
      expect(Array.from(m.attackProbabilities)).toEqual(Array.from(Float32Array.from([0.1, 0.9, 0.49])));
      expect(Array.from(m.flaggedFeatures)).toEqual(Array.from(features));
    }
  });

  it('refuses flagged indices out of range and a truncated block', () => {
    const bytes = encodeDetectionBatchMessage({ header, attackProbabilities: new Float32Array(3), flaggedFeatures: new Float32Array(41) });
    expect(() => decodeDetectionBatchMessage(bytes.subarray(0, bytes.length - 4))).toThrow(expect.objectContaining({ code: 'CONTRACTS.MALFORMED_MESSAGE' }));
    const bad = encodeDetectionBatchMessage({ header: { ...header, flagged: [1] }, attackProbabilities: new Float32Array(3), flaggedFeatures: new Float32Array(41) });
    expect(decodeDetectionBatchMessage(bad).header.flagged).toEqual([1]);
    expect(() => encodeDetectionBatchMessage({ header: { ...header, flagged: [5] }, attackProbabilities: new Float32Array(3), flaggedFeatures: new Float32Array(0) })).toThrow();
  });

  it('still decodes a v1 result (an envelope object per flow)', () => {
    const probabilities = Float32Array.from([0.1, 0.9, 0.49]);
    const v1 = encodePackedFrame({ v: 1, ...header }, [probabilities, new Float32Array(41)]);
    const m = decodeDetectionBatchMessage(v1);
    expect(m.header).toMatchObject({ ...header, v: 1 });
    expect(Array.from(m.attackProbabilities)).toEqual(Array.from(probabilities));
  });

  it('flow batches decode from an unaligned Node Buffer too (NATS hands out pool views)', () => {
    const contract = getContract('nsl-kdd');
    const bytes = encodeFlowBatchMessage({
      batch: { contract, count: 1, features: Float32Array.from({ length: 41 }, (_, i) => i), envelopes: [{}] }, batchId: 'x', sensor: 's', correlationId: 'c',
    });
    const pool = Buffer.alloc(bytes.length + 5);
    pool.set(bytes, 1);
    expect(Array.from(decodeFlowBatchMessage(pool.subarray(1, 1 + bytes.length)).features)).toEqual(Array.from({ length: 41 }, (_, i) => i));
  });
});
