import { createBatchParser } from './batch.parser';
import { SAMPLES, sampleLines } from './contracts-test.fixture';
import { ContractError } from './contract.errors';
import { type FlowBatch } from './contract.types';
import { decodeFlowBatchMessage, deriveBatchId, encodeFlowBatchMessage, flowBatchFromMessage } from './flow-batch.codec';
import { detectFormat } from './format.detection';

function improvedBatch(rows: number): FlowBatch {
  const lines = sampleLines(SAMPLES.improved);
  return createBatchParser(detectFormat(lines[0])).parseLines(lines.slice(1, rows + 1), 2);
}

const meta = { batchId: 'b-1', sensor: 'sensor-a', correlationId: 'corr-1', ingestedAt: '2025-01-02T03:04:05.000Z' };

function expectMalformed(bytes: Uint8Array, fragment: string): void {
  let error: unknown;
  try {
    decodeFlowBatchMessage(bytes);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ContractError);
  expect(error).toMatchObject({ code: 'CONTRACTS.MALFORMED_MESSAGE' });
  expect((error as Error).message).toContain(fragment);
}

describe('flow batch message', () => {
  it('round-trips header, envelopes, labels and every float bit, Infinity and NaN included', () => {
    const batch = improvedBatch(50);
    batch.features[3] = Infinity;
    batch.features[4] = NaN;
    const bytes = encodeFlowBatchMessage({ batch, ...meta, includeLabels: true });
    const message = decodeFlowBatchMessage(bytes);
    expect(message.header).toMatchObject({
      v: 2, batchId: 'b-1', contract: { id: 'cicflowmeter', version: 1 }, variant: 'cicflowmeter/cic-ids2017-improved',
      count: 50, featureCount: 81, sensor: 'sensor-a', correlationId: 'corr-1', ingestedAt: '2025-01-02T03:04:05.000Z',
    });
    expect(message.header.flowIds.slice(0, 2)).toEqual(['b-1:0', 'b-1:1']);
    expect(message.header.envelopes).toEqual(batch.envelopes);
    expect(message.header.labels).toEqual(batch.labels);
    expect(Buffer.from(message.features.buffer, message.features.byteOffset, message.features.byteLength))
      .toEqual(Buffer.from(batch.features.buffer, batch.features.byteOffset, batch.features.byteLength));
    expect(flowBatchFromMessage(message).labels).toEqual(batch.labels);
  });

  it('leaves labels out unless asked, and decodes from an unaligned view', () => {
    const bytes = encodeFlowBatchMessage({ batch: improvedBatch(3), ...meta });
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    const message = decodeFlowBatchMessage(shifted.subarray(1));
    expect(message.header.labels).toBeUndefined();
    expect(Array.from(message.features)).toEqual(Array.from(improvedBatch(3).features).map((v) => (Number.isNaN(v) ? NaN : v)));
  });

  it('rejects malformed messages with a clear reason', () => {
    const good = encodeFlowBatchMessage({ batch: improvedBatch(2), ...meta });
    expectMalformed(new Uint8Array(2), 'no header length');
    const tooLong = good.slice();
    new DataView(tooLong.buffer).setUint32(0, 1_000_000, false);
    expectMalformed(tooLong, 'exceeds');
    expectMalformed(good.subarray(0, good.length - 4), 'feature block');
    expectMalformed(withHeader({ hello: 'world' }), 'does not match flow-batch.v2');
    expectMalformed(withHeader(headerOf(good, { env: { srcIp: ['10.0.0.1'] } })), 'envelope column srcIp holds 1 entries, 2 expected');
    expectMalformed(withHeader(headerOf(good, { env: { srcPort: [70000, 443] } })), 'envelope column srcPort[0] is not a valid srcPort');
    expectMalformed(withHeader(headerOf(good, { contract: { id: 'cicflowmeter', version: 9 } })), 'v9 is not supported');
    expectMalformed(withHeader(headerOf(good, { featureCount: 80 })), 'featureCount 80');
    const notJson = new Uint8Array(8);
    new DataView(notJson.buffer).setUint32(0, 4, false);
    notJson.set([0x7b, 0x7b, 0x7b, 0x7b], 4);
    expectMalformed(notJson, 'not UTF-8 JSON');
  });

  it('still decodes a v1 message (an envelope object per flow), and v2 headers are smaller', () => {
    const batch = improvedBatch(50);
    const v2 = encodeFlowBatchMessage({ batch, ...meta });
    const { env: _env, ...rest } = headerOf(v2, {});
    const v1 = withHeader({ ...rest, v: 1, envelopes: batch.envelopes }, v2.subarray(align4(4 + headerLengthOf(v2))));
    const message = decodeFlowBatchMessage(v1);
    expect(message.header.v).toBe(1);
    expect(message.header.envelopes).toEqual(batch.envelopes);
    expect(Array.from(message.features)).toEqual(Array.from(decodeFlowBatchMessage(v2).features));
    expect(headerLengthOf(v2)).toBeLessThan(0.8 * headerLengthOf(v1));
  });

  it('derives the same batch id from the same parts', () => {
    expect(deriveBatchId(['sensor-a', 'upload-7', 1024])).toBe(deriveBatchId(['sensor-a', 'upload-7', 1024]));
    expect(deriveBatchId(['sensor-a', 'upload-7', 1024])).not.toBe(deriveBatchId(['sensor-a', 'upload-7', 2048]));
    expect(deriveBatchId(['a'])).toMatch(/^[0-9a-f]{32}$/);
  });
});

function headerOf(bytes: Uint8Array, patch: Record<string, unknown>): Record<string, unknown> {
  const length = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, false);
  return { ...(JSON.parse(Buffer.from(bytes.subarray(4, 4 + length)).toString('utf8')) as Record<string, unknown>), ...patch };
}

function withHeader(header: unknown, block: Uint8Array = new Uint8Array(0)): Uint8Array {
  const json = Buffer.from(JSON.stringify(header));
  const out = new Uint8Array(align4(4 + json.length) + block.length);
  new DataView(out.buffer).setUint32(0, json.length, false);
  out.set(json, 4);
  out.set(block, align4(4 + json.length));
  return out;
}

function headerLengthOf(bytes: Uint8Array): number {
  return new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, false);
}

function align4(n: number): number {
  return (n + 3) & ~3;
}
