import { type ContractId, type FlowBatchMessage, type ModelManifest, decodeDetectionBatchMessage, decodeFlowBatchMessage, encodeFlowBatchMessage, getContract, pipelineTopology } from '@vigil/contracts';
import { type FlowRows, type FlowsResult, type RunOutput, type ServedPart, canaryRows, readSampleRows } from '@vigil/inference';
import { FlowScoringService } from './flow-scoring.service';

/** P(attack) of a row: a fixed function of its src_bytes column, `high`/`low`. */
function output(flows: FlowRows, width: number, high: number): RunOutput {
  const positive = Float32Array.from({ length: flows.count }, (_, r) => (flows.features[r * width + 4] > 100 ? high : 1 - high));
  const decisions = Uint8Array.from(positive, (p) => (p >= 0.5 ? 1 : 0));
  return { count: flows.count, nClasses: 2, labels: Int32Array.from(decisions), probabilities: new Float32Array(flows.count * 2), positive, decisions };
}

const manifest = { threshold: 0.5, classLabels: ['normal', 'attack'] } as unknown as ModelManifest;

/** A strict fake of the model set: production v4 and a canary v5 at 50 % routed by flow id, every call recorded. */
function fakeModels(calls: number[]) {
  return {
    runFlows: (contract: ContractId, flows: FlowRows): Promise<FlowsResult> => {
      calls.push(flows.count);
      const width = getContract(contract).features.length;
      const name = `threat-detector-${contract}`;
      const canary = canaryRows(flows.flowIds, flows.count, 50);
      const isCanary = new Set(canary);
      const prod = Int32Array.from({ length: flows.count }, (_, r) => r).filter((r) => !isCanary.has(r));
      const pick = (rows: Int32Array): FlowRows => ({ flowIds: [], count: rows.length, features: Float32Array.from(Array.from(rows).flatMap((r) => Array.from(flows.features.subarray(r * width, (r + 1) * width)))) });
      const parts: ServedPart[] = [
        { role: 'production', model: { name, version: 4 }, manifest, rows: prod, output: output(pick(prod), width, 0.9), addons: {} },
        { role: 'canary', model: { name, version: 5 }, manifest, rows: canary, output: output(pick(canary), width, 0.8), addons: {} },
      ];
      return Promise.resolve({ parts });
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
      batch: { contract: getContract(contract), count, features, envelopes: Array.from({ length: count }, (_, i) => ({ flowId: `${contract}-${b}-${i}` })) },
      batchId: `${contract}-b${b}`, sensor: 's', correlationId: 'c', ingestedAt: '2026-01-01T00:00:00.000Z',
    });
    return decodeFlowBatchMessage(bytes);
  });
}

describe('FlowScoringService', () => {
  it('scores several input batches with one call per contract, routes flows to the canary by flow id, and answers each batch in input order', async () => {
    const calls: number[] = [];
    const service = new FlowScoringService({ models: fakeModels(calls), topology: pipelineTopology('p'), onInference: () => undefined, now: () => new Date('2026-01-01T00:00:01Z') });
    const nsl = await inputBatches('nsl-kdd', [30, 50]);
    const cic = await inputBatches('cicflowmeter', [40]);
    const inputs = [nsl[0], cic[0], nsl[1]];
    const { results, shadow } = await service.score(inputs);
    expect(shadow).toEqual([]);
    expect(calls.sort((a, b) => a - b)).toEqual([40, 80]);
    expect(results.map((r) => [r.subject, r.msgId, r.flows])).toEqual([
      ['p.detections.nsl-kdd', 'nsl-kdd-b0:detect', 30], ['p.detections.cicflowmeter', 'cicflowmeter-b0:detect', 40], ['p.detections.nsl-kdd', 'nsl-kdd-b1:detect', 50],
    ]);
    results.forEach((r, i) => {
      const m = decodeDetectionBatchMessage(r.payload);
      const input = inputs[i];
      const width = input.contract.features.length;
      const toCanary = Array.from(canaryRows(input.header.flowIds, input.header.count, 50));
      const high = Array.from({ length: input.header.count }, (_, k) => input.features[k * width + 4] > 100);
      expect(m.header.canary).toEqual({ model: { name: `threat-detector-${input.contract.id}`, version: 5 }, threshold: 0.5, rows: toCanary });
      expect(m.header.flagged).toEqual(high.flatMap((f, k) => (f ? [k] : [])));
      expect(Array.from(m.attackProbabilities)).toEqual(high.map((f, k) => Math.fround(toCanary.includes(k) ? (f ? 0.8 : 0.2) : f ? 0.9 : 0.1)));
      m.header.flagged.forEach((k, j) => expect(Array.from(m.flaggedFeatures.subarray(j * width, (j + 1) * width))).toEqual(Array.from(input.features.subarray(k * width, (k + 1) * width))));
      expect(m.header).toMatchObject({ flowIds: input.header.flowIds, model: { name: `threat-detector-${input.contract.id}`, version: 4 }, ingestedAt: input.header.ingestedAt });
    });
    expect(results.every((r) => decodeDetectionBatchMessage(r.payload).header.canary!.rows.length > 0)).toBe(true);
  });
});
