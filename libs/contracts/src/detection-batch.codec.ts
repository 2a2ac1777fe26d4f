import { getContract } from './contract.registry';
import { type Contract } from './contract.types';
import { DETECTION_BATCH_WIRE_VERSION, type DetectionBatchHeader, detectionBatchHeaderSchema } from './detection-batch.schemas';
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
  return encodePackedFrame({ v: DETECTION_BATCH_WIRE_VERSION, ...header }, [args.attackProbabilities, args.flaggedFeatures]);
}

export function decodeDetectionBatchMessage(bytes: Uint8Array): DetectionBatchMessage {
  const frame = decodePackedFrame(bytes, WHAT);
  const parsed = detectionBatchHeaderSchema.safeParse(frame.header);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    malformed(WHAT, `header does not match: ${issues.join('; ')}`);
  }
  const header = parsed.data;
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
