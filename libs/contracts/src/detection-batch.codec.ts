import { getContract } from './contract.registry';
import { type Contract } from './contract.types';
import { DETECTION_BATCH_WIRE_VERSION, type DetectionBatchHeader, detectionBatchHeaderSchema, detectionBatchWireHeaderSchema } from './detection-batch.schemas';
import { columnsToEnvelopes, envelopesToColumns } from './envelope.columns';
import { decodePackedFrame, encodePackedFrame, malformed } from './packed-frame.codec';

export interface DetectionBatchMessage {
  header: DetectionBatchHeader;
  contract: Contract;
  /** P(attack) per flow, `count` long. */
  attackProbabilities: Float32Array;
  /** Features of the flagged flows, `flagged.length × featureCount`, row-major, contract order. */
  flaggedFeatures: Float32Array;
}

export interface EncodeDetectionBatchArgs {
  header: Omit<DetectionBatchHeader, 'v'>;
  attackProbabilities: Float32Array;
  flaggedFeatures: Float32Array;
}

const WHAT = `detection batch v${DETECTION_BATCH_WIRE_VERSION}`;

export function encodeDetectionBatchMessage(args: EncodeDetectionBatchArgs): Uint8Array {
  const { header } = args;
  if (args.attackProbabilities.length !== header.count || args.flaggedFeatures.length !== header.flagged.length * header.featureCount) {
    malformed(WHAT, 'probabilities or flagged features do not match the header counts');
  }
  const { envelopes, ...rest } = header;
  return encodePackedFrame({ v: DETECTION_BATCH_WIRE_VERSION, ...rest, env: envelopesToColumns(envelopes, header.count) }, [args.attackProbabilities, args.flaggedFeatures]);
}

export function decodeDetectionBatchMessage(bytes: Uint8Array): DetectionBatchMessage {
  const frame = decodePackedFrame(bytes, WHAT);
  const header = parseHeader(frame.header);
  const contract = getContract(header.contract.id);
  if (contract.version !== header.contract.version || contract.features.length !== header.featureCount) {
    malformed(WHAT, `contract ${header.contract.id} v${header.contract.version} with ${header.featureCount} features is not this build's`);
  }
  const expected = header.count + header.flagged.length * header.featureCount;
  if (frame.values.length !== expected) malformed(WHAT, `float block holds ${frame.values.length} values, ${expected} expected`);
  return {
    header, contract,
    attackProbabilities: frame.values.subarray(0, header.count),
    flaggedFeatures: frame.values.subarray(header.count),
  };
}

function parseHeader(value: unknown): DetectionBatchHeader {
  if ((value as { v?: unknown } | null)?.v === 1) return checked(detectionBatchHeaderSchema.safeParse(value));
  const { env, ...rest } = checked(detectionBatchWireHeaderSchema.safeParse(value));
  const envelopes = columnsToEnvelopes(env, rest.count);
  if (typeof envelopes === 'string') malformed(WHAT, envelopes);
  return { ...rest, envelopes };
}

function checked<T>(parsed: { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } }): T {
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
    malformed(WHAT, `header does not match: ${issues.join('; ')}`);
  }
  return parsed.data;
}
