import { type FlowEnvelope } from './contract.types';
import { CONTRACT_SAMPLES, contractSamplePath } from './contract.samples';
import { readFlowFile } from './flow-file.reader';
import { encodeJsonWithArray } from './json-array.encoder';
import { decodeThreatBatchMessage, encodeThreatBatchMessage } from './threat-batch.schemas';

const reference = (head: object, key: string, items: unknown[]): Uint8Array => new TextEncoder().encode(JSON.stringify({ ...head, [key]: items }));

async function sampleThreats(): Promise<{ flowId: string; envelope: FlowEnvelope; attackClass: string; probability: number; top: { class: string; probability: number }[]; detectorProbability: number }[]> {
  const out = [];
  for await (const b of readFlowFile(contractSamplePath(CONTRACT_SAMPLES.improved), { contract: 'cicflowmeter' })) {
    for (let i = 0; i < b.count; i++) {
      const family = b.labels[i]?.label ?? 'unknown';
      out.push({ flowId: `${b.envelopes[i].flowId ?? i}`, envelope: b.envelopes[i], attackClass: family, probability: 0.5, top: [{ class: family, probability: 0.5 }], detectorProbability: 0.75 });
    }
  }
  return out;
}

describe('encodeJsonWithArray (threat batch bytes)', () => {
  it('gives the bytes of JSON.stringify + UTF-8 for a head and its array last, across scratch growth', async () => {
    const threats = await sampleThreats();
    // Several copies: past the 256 kB scratch, so the buffer grows mid-batch.
    const many = [...threats, ...threats, ...threats, ...threats];
    const head = { v: 1, batchId: 'b', sensor: 'capteur-été ✓' };
    const bytes = encodeJsonWithArray(head, 'threats', many);
    expect(bytes.byteLength).toBeGreaterThan(256 * 1024);
    expect(Buffer.from(bytes).equals(Buffer.from(reference(head, 'threats', many)))).toBe(true);
    expect(bytes).toBeInstanceOf(Uint8Array);
  });

  it('handles an empty head, an empty array, non-ASCII items and undefined items (null, as JSON.stringify)', () => {
    expect(new TextDecoder().decode(encodeJsonWithArray({}, 'threats', []))).toBe('{"threats":[]}');
    expect(new TextDecoder().decode(encodeJsonWithArray({ a: 1 }, 'xs', ['naïve', undefined, { b: '日本' }]))).toBe(JSON.stringify({ a: 1, xs: ['naïve', null, { b: '日本' }] }));
  });

  it('adds a field from JSON text per item (threat explanations), as JSON.stringify of the items with it set', async () => {
    const threats = (await sampleThreats()).slice(0, 20);
    const explanation = (i: number) => ({ method: 'saabas', target: 'P(DoS | attack)', expectedValue: 0.1 * i, top: [{ feature: 'Flow Duration', value: i === 3 ? null : i, contribution: 1 / (i + 3) }] });
    const json = threats.map((_, i) => (i % 4 === 1 ? undefined : JSON.stringify(explanation(i))));
    const withField = threats.map((t, i) => (json[i] === undefined ? t : { ...t, explanation: explanation(i) }));
    const bytes = encodeJsonWithArray({ v: 1 }, 'threats', threats, { key: 'explanation', json });
    expect(new TextDecoder().decode(bytes)).toBe(JSON.stringify({ v: 1, threats: withField }));
    expect(new TextDecoder().decode(encodeJsonWithArray({}, 'xs', [{}, { a: 1 }], { key: 'e', json: ['[1]', '"x"'] }))).toBe('{"xs":[{"e":[1]},{"a":1,"e":"x"}]}');
  });

  it('refuses a raw field on an item that is not an object', () => {
    expect(() => encodeJsonWithArray({}, 'xs', [{}, 'text'], { key: 'e', json: [undefined, '1'] })).toThrow('item 1 is not an object');
  });

  it('keeps the threat batch codec round-tripping', async () => {
    const threats = (await sampleThreats()).slice(0, 50);
    const batch = {
      batchId: 'b1', contract: { id: 'cicflowmeter' as const, version: 1 }, sensor: 's', ingestedAt: '2026-01-01T00:00:00.000Z', detectedAt: '2026-01-01T00:00:00.000Z',
      classifiedAt: '2026-01-01T00:00:00.000Z', correlationId: 'c', detector: { name: 'd', version: 1 }, classifier: { name: 'c', version: 1 }, threats,
    };
    const bytes = encodeThreatBatchMessage(batch);
    expect(new TextDecoder().decode(bytes)).toBe(JSON.stringify({ v: 1, ...batch }));
    expect(decodeThreatBatchMessage(bytes).threats).toHaveLength(50);
  });
});
