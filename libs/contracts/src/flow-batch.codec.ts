import { createHash } from 'node:crypto';
import { endianness } from 'node:os';
import { ContractError } from './contract.errors';
import { getContract, isContractId } from './contract.registry';
import { type CanonicalLabel, type Contract, type FlowBatch, type FlowEnvelope } from './contract.types';
import { columnsToEnvelopes, envelopesToColumns } from './envelope.columns';
import { FLOW_BATCH_WIRE_VERSION, type FlowBatchHeader, flowBatchHeaderSchema, flowBatchWireHeaderSchema } from './flow-batch.schemas';

/**
 * Wire format of a flow batch message:
 *   uint32 BE  header length L
 *   L bytes    UTF-8 JSON header (flowBatchWireHeaderSchema: v2, envelopes as columns; v1 decodes too)
 *   0-3 bytes  zero padding, so the block starts 4-byte aligned from the message start
 *   count × featureCount float32 little-endian, row-major, contract feature order
 */
export interface FlowBatchMessage {
  header: FlowBatchHeader;
  contract: Contract;
  features: Float32Array;
}

export interface EncodeFlowBatchArgs {
  batch: Pick<FlowBatch, 'contract' | 'count' | 'features' | 'envelopes'> & Partial<Pick<FlowBatch, 'variant' | 'labels'>>;
  batchId: string;
  sensor: string;
  correlationId: string;
  ingestedAt?: Date | string;
  /** Unique per flow; defaults to `<batchId>:<index>`. */
  flowIds?: readonly string[];
  /** Carry labels (for evaluation and training feeds); off by default. */
  includeLabels?: boolean;
}

const LITTLE_ENDIAN = endianness() === 'LE';
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export function encodeFlowBatchMessage(args: EncodeFlowBatchArgs): Uint8Array {
  const { batch } = args;
  const featureCount = batch.contract.features.length;
  if (batch.features.length < batch.count * featureCount) {
    throw new ContractError({
      code: 'CONTRACTS.INVALID_BATCH',
      message: `batch holds ${batch.features.length} values, ${batch.count} × ${featureCount} needed`,
    });
  }
  const header = {
    v: FLOW_BATCH_WIRE_VERSION,
    batchId: args.batchId,
    contract: { id: batch.contract.id, version: batch.contract.version },
    ...(batch.variant === undefined ? {} : { variant: batch.variant }),
    count: batch.count,
    featureCount,
    sensor: args.sensor,
    ingestedAt: new Date(args.ingestedAt ?? Date.now()).toISOString(),
    correlationId: args.correlationId,
    flowIds: args.flowIds ? args.flowIds.slice(0, batch.count) : Array.from({ length: batch.count }, (_, i) => `${args.batchId}:${i}`),
    env: envelopesToColumns(batch.envelopes, batch.count),
    ...(args.includeLabels === true && batch.labels ? { labels: batch.labels.slice(0, batch.count) } : {}),
  };
  const json = encoder.encode(JSON.stringify(header));
  const blockOffset = align4(4 + json.length);
  const out = new Uint8Array(blockOffset + batch.count * featureCount * 4);
  new DataView(out.buffer).setUint32(0, json.length, false);
  out.set(json, 4);
  writeFloats(out, blockOffset, batch.features.subarray(0, batch.count * featureCount));
  return out;
}

export function decodeFlowBatchMessage(bytes: Uint8Array): FlowBatchMessage {
  if (bytes.length < 4) malformed(`message of ${bytes.length} bytes has no header length`);
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, false);
  if (headerLength > bytes.length - 4) malformed(`header length ${headerLength} exceeds the ${bytes.length}-byte message`);
  const header = parseHeader(bytes.subarray(4, 4 + headerLength));
  const contract = checkContract(header);
  const blockOffset = align4(4 + headerLength);
  const values = header.count * header.featureCount;
  if (bytes.length !== blockOffset + values * 4) {
    malformed(`feature block is ${bytes.length - blockOffset} bytes, ${values * 4} expected for ${header.count} × ${header.featureCount}`);
  }
  return { header, contract, features: readFloats(bytes, blockOffset, values) };
}

/** A deterministic batch id (the JetStream Nats-Msg-Id): same parts, same id, so a retry deduplicates. */
export function deriveBatchId(parts: readonly (string | number)[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32);
}

/** Rebuilds the per-flow view of a decoded message (labels null when not carried). */
export function flowBatchFromMessage(message: FlowBatchMessage): Pick<FlowBatch, 'contract' | 'count' | 'features' | 'envelopes' | 'labels'> {
  const { header } = message;
  const labels: (CanonicalLabel | null)[] = header.labels ?? new Array<null>(header.count).fill(null);
  return { contract: message.contract, count: header.count, features: message.features, envelopes: header.envelopes as FlowEnvelope[], labels };
}

function parseHeader(json: Uint8Array): FlowBatchHeader {
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(json));
  } catch (cause) {
    malformed('header is not UTF-8 JSON', cause);
  }
  if ((value as { v?: unknown } | null)?.v === 1) return checked(flowBatchHeaderSchema.safeParse(value), 1);
  const wire = checked(flowBatchWireHeaderSchema.safeParse(value), FLOW_BATCH_WIRE_VERSION);
  const { env, ...rest } = wire;
  const envelopes = columnsToEnvelopes(env, wire.count);
  if (typeof envelopes === 'string') malformed(envelopes);
  return { ...rest, envelopes };
}

function checked<T>(parsed: { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } }, version: number): T {
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
    malformed(`header does not match flow-batch.v${version}: ${issues.join('; ')}`);
  }
  return parsed.data;
}

function checkContract(header: FlowBatchHeader): Contract {
  if (!isContractId(header.contract.id)) malformed(`unknown contract ${header.contract.id}`);
  const contract = getContract(header.contract.id);
  if (contract.version !== header.contract.version) {
    malformed(`contract ${contract.id} v${header.contract.version} is not supported (this build has v${contract.version})`);
  }
  if (header.featureCount !== contract.features.length) {
    malformed(`featureCount ${header.featureCount} does not match ${contract.id} v${contract.version} (${contract.features.length})`);
  }
  return contract;
}

function writeFloats(out: Uint8Array, offset: number, values: Float32Array): void {
  if (LITTLE_ENDIAN) {
    out.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), offset);
    return;
  }
  const view = new DataView(out.buffer, out.byteOffset + offset);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i], true);
}

function readFloats(bytes: Uint8Array, offset: number, count: number): Float32Array {
  const start = bytes.byteOffset + offset;
  // Zero-copy when the buffer is aligned; NATS may hand us a view at any offset.
  if (LITTLE_ENDIAN && start % 4 === 0) return new Float32Array(bytes.buffer, start, count);
  // Copy into a fresh buffer: a Node Buffer's slice() is a view on its (shared, unaligned) pool.
  if (LITTLE_ENDIAN) return new Float32Array(new Uint8Array(bytes.subarray(offset, offset + count * 4)).buffer);
  const view = new DataView(bytes.buffer, start, count * 4);
  return Float32Array.from({ length: count }, (_, i) => view.getFloat32(i * 4, true));
}

function align4(n: number): number {
  return (n + 3) & ~3;
}

function malformed(reason: string, cause?: unknown): never {
  throw new ContractError({ code: 'CONTRACTS.MALFORMED_MESSAGE', message: `Malformed flow batch message: ${reason}`, cause });
}
