import { CIC_CONTRACT, CONTRACT_SAMPLES, type FlowBatch, contractSamplePath, readFlowFile } from '@vigil/contracts';
import { parseHomeNet } from './home-net';
import { createModelInput } from './model-input';

async function improvedSample(): Promise<FlowBatch> {
  for await (const batch of readFlowFile(contractSamplePath(CONTRACT_SAMPLES.improved), { contract: 'cicflowmeter', batchSize: 10_000 })) return batch;
  throw new Error('empty sample');
}

describe('createModelInput', () => {
  it('gathers contract features in model order and derives home-net context features from the envelope IPs', async () => {
    const batch = await improvedSample();
    const names = CIC_CONTRACT.features.map((f) => f.name);
    const input = createModelInput({ contract: CIC_CONTRACT, features: [names[3], 'ctx.src_in_home_net', names[0], 'ctx.dst_in_home_net'], homeNet: ['192.168.10.0/24'] });
    expect(input.needsEnvelopes).toBe(true);
    const X = input.gather({ features: batch.features, count: batch.count, envelopes: batch.envelopes });
    const w = names.length;
    for (let r = 0; r < batch.count; r++) {
      const e = batch.envelopes[r];
      expect(X[r * 4]).toBe(batch.features[r * w + 3]);
      expect(X[r * 4 + 2]).toBe(batch.features[r * w]);
      expect(X[r * 4 + 1]).toBe(e.srcIp?.startsWith('192.168.10.') ? 1 : 0);
      expect(X[r * 4 + 3]).toBe(e.dstIp?.startsWith('192.168.10.') ? 1 : 0);
    }
    // The improved CIC-IDS2017 "Infiltration - Portscan" rows are scans from the infiltrated inside host.
    const scans = batch.labels.flatMap((l, r) => (l?.label === 'Infiltration - Portscan' ? [r] : []));
    expect(scans.length).toBeGreaterThan(0);
    expect(scans.filter((r) => X[r * 4 + 1] === 1).length).toBeGreaterThan(scans.length / 2);
  });

  it('gives NaN (missing) when a row has no IP, and passes the contract block through when the model reads it as is', async () => {
    const batch = await improvedSample();
    const input = createModelInput({ contract: CIC_CONTRACT, features: ['ctx.src_in_home_net'], homeNet: ['192.168.10.0/24'] });
    expect(Number.isNaN(input.gather({ features: batch.features, count: 1, envelopes: [{}] })[0])).toBe(true);
    const identity = createModelInput({ contract: CIC_CONTRACT, features: CIC_CONTRACT.features.map((f) => f.name) });
    expect(identity.identity).toBe(true);
    expect(identity.gather({ features: batch.features, count: 2 })).toEqual(batch.features.subarray(0, 2 * CIC_CONTRACT.features.length));
  });

  it('names unknown features and refuses context features without a home net', () => {
    expect(() => createModelInput({ contract: CIC_CONTRACT, features: ['Flow Duration', 'nope'] })).toThrow('nope');
    expect(() => createModelInput({ contract: CIC_CONTRACT, features: ['ctx.dst_in_home_net'] })).toThrow('no home net');
  });
});

describe('parseHomeNet', () => {
  it('matches IPv4 and IPv6 prefixes and rejects bad CIDRs', () => {
    const net = parseHomeNet(['192.168.10.0/24', '10.0.0.0/8', '2001:db8::/32']);
    expect(net.contains('192.168.10.8')).toBe(true);
    expect(net.contains('192.168.11.8')).toBe(false);
    expect(net.contains('10.200.1.1')).toBe(true);
    expect(net.contains('172.16.0.1')).toBe(false);
    expect(net.contains('2001:db8:1::5')).toBe(true);
    expect(net.contains('2001:db9::1')).toBe(false);
    expect(net.contains('not-an-ip')).toBe(false);
    expect(() => parseHomeNet(['192.168.10.0/33'])).toThrow('192.168.10.0/33');
    expect(() => parseHomeNet(['300.1.1.1/8'])).toThrow('300.1.1.1/8');
  });
});
