import { createHash } from 'node:crypto';
import { ContractError } from './contract.errors';
import { getContract, isContractId } from './contract.registry';
import { type CanonicalLabel, type Contract, type FlowBatch, type FlowEnvelope } from './contract.types';
import { columnsToEnvelopes, envelopesToColumns } from './envelope.columns';
import { FLOW_BATCH_WIRE_VERSION, type FlowBatchHeader, flowBatchHeaderSchema, flowBatchWireHeaderSchema } from './flow-batch.schemas';
import { decodePackedFrame, encodePackedFrame, malformed as malformedFrame } from './packed-frame.codec';

/**
 * Wire format of a flow batch message: the packed frame (packed-frame.codec.ts) with the JSON
 * header flowBatchWireHeaderSchema (v2, envelopes as columns; v1 decodes too) and a block of
 * count × featureCount float32 values, row-major, in contract feature order.
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
  return encodePackedFrame(header, [batch.features.subarray(0, batch.count * featureCount)]);
}

export function decodeFlowBatchMessage(bytes: Uint8Array): FlowBatchMessage {
  const frame = decodePackedFrame(bytes, 'flow batch');
  const header = parseHeader(frame.header);
  const contract = checkContract(header);
  const values = header.count * header.featureCount;
  if (frame.values.length !== values) {
    malformed(`feature block is ${frame.values.length * 4} bytes, ${values * 4} expected for ${header.count} × ${header.featureCount}`);
  }
  return { header, contract, features: frame.values };
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

function parseHeader(value: unknown): FlowBatchHeader {
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

function malformed(reason: string, cause?: unknown): never {
  return malformedFrame('flow batch', reason, cause);
}
