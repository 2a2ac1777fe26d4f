import { type ContractId, type FlowBatchMessage, decodeDetectionBatchMessage, decodeFlowBatchMessage, encodeFlowBatchMessage, getContract, pipelineTopology } from '@vigil/contracts';
import { readSampleRows, type ModelRunResult } from '@vigil/inference';
import { FlowScoringService, type ScoringModel } from './flow-scoring.service';

/** A strict fake detector: P(attack) is a fixed function of the row, and every call is recorded. */
function fakeDetector(contract: ContractId, calls: number[]): ScoringModel {
  const width = getContract(contract).features.length;
  return {
    ref: { name: `threat-detector-${contract}`, version: 4 },
    manifest: { threshold: 0.5 } as ScoringModel['manifest'],
    run: (features: Float32Array, count: number): Promise<ModelRunResult> => {
      calls.push(count);
      const positive = Float32Array.from({ length: count }, (_, r) => (Number.isFinite(features[r * width + 4]) && features[r * width + 4] > 100 ? 0.9 : 0.1));
      const decisions = Uint8Array.from(positive, (p) => (p >= 0.5 ? 1 : 0));
      return Promise.resolve({ count, nClasses: 2, labels: Int32Array.from(decisions), probabilities: new Float32Array(count * 2), positive, decisions });
    },
  };
}

async function inputBatches(contract: ContractId, sizes: number[]): Promise<FlowBatchMessage[]> {
  const rows = await readSampleRows(contract);
  const width = getContract(contract).features.length;
  let at = 0;
  return sizes.map((count, b) => {
    const features = rows.features.slice(at * width, (at + count) * width);
    at += count;
    const bytes = encodeFlowBatchMessage({
      batch: { contract: getContract(contract), count, features, envelopes: Array.from({ length: count }, () => ({})) },
      batchId: `${contract}-b${b}`, sensor: 's', correlationId: 'c', ingestedAt: '2026-01-01T00:00:00.000Z',
    });
    return decodeFlowBatchMessage(bytes);
  });
}

describe('FlowScoringService', () => {
  it('scores several input batches with one call per contract and answers each batch on its own, in input order', async () => {
    const calls: number[] = [];
    const models = new Map<ContractId, ScoringModel>([['nsl-kdd', fakeDetector('nsl-kdd', calls)], ['cicflowmeter', fakeDetector('cicflowmeter', calls)]]);
    const service = new FlowScoringService({ models, topology: pipelineTopology('p'), now: () => new Date('2026-01-01T00:00:01Z') });
    const nsl = await inputBatches('nsl-kdd', [30, 50]);
    const cic = await inputBatches('cicflowmeter', [40]);
    const inputs = [nsl[0], cic[0], nsl[1]];
    const results = await service.score(inputs);
    expect(calls.sort((a, b) => a - b)).toEqual([40, 80]);
    expect(results.map((r) => [r.subject, r.msgId, r.flows])).toEqual([
      ['p.detections.nsl-kdd', 'nsl-kdd-b0:detect', 30], ['p.detections.cicflowmeter', 'cicflowmeter-b0:detect', 40], ['p.detections.nsl-kdd', 'nsl-kdd-b1:detect', 50],
    ]);
    results.forEach((r, i) => {
      const m = decodeDetectionBatchMessage(r.payload);
      const input = inputs[i];
      const width = input.contract.features.length;
      const expected = Array.from({ length: input.header.count }, (_, k) => input.features[k * width + 4] > 100);
      expect(m.header.flagged).toEqual(expected.flatMap((f, k) => (f ? [k] : [])));
      expect(r.flagged).toBe(m.header.flagged.length);
      expect(Array.from(m.attackProbabilities)).toEqual(expected.map((f) => Math.fround(f ? 0.9 : 0.1)));
      m.header.flagged.forEach((k, j) => expect(Array.from(m.flaggedFeatures.subarray(j * width, (j + 1) * width))).toEqual(Array.from(input.features.subarray(k * width, (k + 1) * width))));
      expect(m.header).toMatchObject({ flowIds: input.header.flowIds, model: { name: `threat-detector-${input.contract.id}`, version: 4 }, ingestedAt: input.header.ingestedAt });
    });
    expect(results.some((r) => r.flagged > 0) && results.some((r) => r.flagged < r.flows)).toBe(true);
  });
});
