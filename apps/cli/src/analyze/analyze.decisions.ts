// The self-healing decisions `vigil analyze` would take. The policy and safety engine
// (evaluateThreat, PolicySet, defaultPolicies, parsePolicyFile, EvidenceWindow, the IP
// network parser) still lives inside apps/self-healing, which the CLI may not import; until
// it moves to a shared lib the report says so instead of guessing with a second copy.
export interface SimulatedThreat {
  readonly contract: string;
  readonly flowId: string | null;
  readonly srcIp?: string;
  readonly attackClass: string;
  readonly probability: number;
  /** Flow time (ms) when the file has timestamps, else the row's position in the analysis. */
  readonly atMs: number;
}

export interface DecisionsSummary {
  readonly available: boolean;
  readonly note?: string;
  readonly byAction: Readonly<Record<string, number>>;
  readonly decisions: readonly { scope: string; value: string; action: string; attackClass: string; evidenceCount: number; durationSeconds: number }[];
}

export interface DecisionsSimulation {
  observe(threat: SimulatedThreat): void;
  summary(): DecisionsSummary;
}

export function pendingSimulation(): DecisionsSimulation {
  return {
    observe: () => undefined,
    summary: () => ({ available: false, note: 'policy simulation needs the self-healing engine as a shared lib (not yet moved out of apps/self-healing)', byAction: {}, decisions: [] }),
  };
}
