import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { CONTRACT_SAMPLES, type ContractId, type FlowEnvelope, contractSamplePath, createBatchParser, detectFormat } from '@vigil/contracts';
import { RecentFlowIds, flowIdOf } from './flow-identity.service';

/** The flow id as every earlier version computed it (incremental sha256): ids must not change. */
function referenceId(contract: ContractId, envelope: FlowEnvelope, features: Float32Array): string {
  const h = createHash('sha256').update(contract).update('\u0000');
  if (envelope.flowId !== undefined) {
    h.update('source\u0000').update(envelope.flowId).update('\u0000').update(envelope.timestamp ?? '');
  } else {
    h.update('content\u0000').update(new Uint8Array(features.buffer, features.byteOffset, features.byteLength));
    h.update(JSON.stringify(envelope));
  }
  return h.digest('hex').slice(0, 32);
}

function sampleBatch(file: string, contract: ContractId) {
  const [header, ...lines] = gunzipSync(readFileSync(contractSamplePath(file))).toString('utf8').split(/\r?\n/).filter((l) => l !== '');
  return createBatchParser(detectFormat(header, { contract })).parseLines(lines.slice(0, 300), 2);
}

describe('flowIdOf', () => {
  it.each([
    ['source Flow ID + Timestamp (improved CIC)', CONTRACT_SAMPLES.improved, 'cicflowmeter'],
    ['content hash (NSL-KDD, no Flow ID)', CONTRACT_SAMPLES.nslKdd, 'nsl-kdd'],
  ] as const)('gives the same ids as the original incremental sha256: %s', (_name, file, contract) => {
    const batch = sampleBatch(file, contract);
    const width = batch.contract.features.length;
    expect(batch.count).toBeGreaterThan(100);
    for (let i = 0; i < batch.count; i++) {
      const features = batch.features.subarray(i * width, (i + 1) * width);
      expect(flowIdOf({ contract, envelope: batch.envelopes[i], features })).toBe(referenceId(contract, batch.envelopes[i], features));
    }
  });
});

describe('RecentFlowIds', () => {
  const ids = Array.from({ length: 5_000 }, (_, i) => createHash('sha256').update(String(i)).digest('hex').slice(0, 32));

  it('answers a repeat inside the window as taken, and forgets the oldest past capacity', () => {
    const recent = new RecentFlowIds(1_000);
    expect(ids.slice(0, 1_000).every((id) => recent.claim(id))).toBe(true);
    expect(ids.slice(0, 1_000).some((id) => recent.claim(id))).toBe(false);
    expect(recent.claim(ids[1_000])).toBe(true);
    expect(recent.size).toBe(1_000);
    expect(recent.claim(ids[0])).toBe(true);
    expect(recent.claim(ids[2])).toBe(false);
  });

  it('behaves like a Set of the last `capacity` claims under a long mixed sequence with releases', () => {
    const recent = new RecentFlowIds(700);
    const model = new Set<string>();
    const ring: string[] = [];
    let state = 7;
    const rand = (n: number): number => (state = (state * 1_103_515_245 + 12_345) % 2_147_483_648) % n;
    for (let step = 0; step < 40_000; step++) {
      const id = ids[rand(2_000)];
      if (rand(50) === 0) {
        recent.release([id]);
        model.delete(id);
        continue;
      }
      const fresh = !model.has(id);
      expect(recent.claim(id)).toBe(fresh);
      if (!fresh) continue;
      ring.push(id);
      model.add(id);
      while (ring.length > 700) {
        const old = ring.shift() as string;
        if (!ring.includes(old)) model.delete(old);
      }
    }
    expect(recent.size).toBe(model.size);
  });

  it('with capacity 0 remembers nothing', () => {
    const recent = new RecentFlowIds(0);
    expect(recent.claim(ids[0]) && recent.claim(ids[0])).toBe(true);
  });
});
