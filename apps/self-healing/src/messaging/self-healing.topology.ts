import { pipelineTopology, SELF_HEALING_REQUESTS, subjects, type ContractId, type DecisionKind } from '@vigil/contracts';

export type RequestName = keyof typeof SELF_HEALING_REQUESTS;

/** Self-healing's subjects and streams behind the pipeline prefix (empty in production). */
export interface SelfHealingTopology {
  readonly threatsStream: { name: string; subjects: string[] };
  readonly decisionsStream: { name: string; subjects: string[] };
  readonly dlqStream: { name: string; subjects: string[] };
  threats(contract: ContractId): string;
  decisions(kind: DecisionKind): string;
  request(name: RequestName): string;
  deadLetter(durable: string): string;
}

export function selfHealingTopology(prefix = ''): SelfHealingTopology {
  const pipeline = pipelineTopology(prefix);
  const sub = (s: string): string => (prefix === '' ? s : `${prefix}.${s}`);
  return {
    threatsStream: pipeline.streams.THREATS,
    decisionsStream: { name: prefix === '' ? 'DECISIONS' : `${prefix}_DECISIONS`, subjects: [sub('decisions.>')] },
    dlqStream: pipeline.streams.DLQ,
    threats: (contract) => pipeline.subjects.threats(contract),
    decisions: (kind) => sub(subjects.decisions(kind)),
    request: (name) => sub(SELF_HEALING_REQUESTS[name]),
    deadLetter: (durable) => pipeline.deadLetter(pipeline.streams.THREATS.name, durable),
  };
}
