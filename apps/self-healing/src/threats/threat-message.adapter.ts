import { decodeThreatBatchMessage, type ThreatBatch } from '@vigil/contracts';
import { type ThreatEvidence } from '@vigil/remediation';

/** The pipeline's threat batch, as the evidence the policy engine reads. */
export function threatEvidenceFrom(batch: ThreatBatch): ThreatEvidence[] {
  const modelVersion = `${batch.detector.name}@${batch.detector.version}+${batch.classifier.name}@${batch.classifier.version}`;
  return batch.threats.map((threat) => ({
    contract: batch.contract.id,
    flowId: threat.flowId,
    ...(threat.envelope.srcIp === undefined ? {} : { srcIp: threat.envelope.srcIp }),
    attackClass: threat.attackClass,
    probability: threat.probability,
    topClasses: threat.top.map((t) => ({ label: t.class, probability: t.probability })),
    modelVersion,
    ...(threat.explanation ? { topFeatures: threat.explanation.top.map((t) => ({ name: t.feature, weight: t.contribution })) } : {}),
    ingestedAt: batch.ingestedAt,
  }));
}

/** Decodes one `threats.<contract>` message (throws on a malformed one: a poison message). */
export function decodeThreatEvidence(bytes: Uint8Array): ThreatEvidence[] {
  return threatEvidenceFrom(decodeThreatBatchMessage(bytes));
}
