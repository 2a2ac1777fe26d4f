// @vigil/remediation: self-healing's pure policy and safety engine, shared by apps/self-healing
// (which adds Postgres evidence, executors and NATS) and `vigil analyze` (which simulates it
// offline). No framework, no I/O beyond reading a policy file.
export { REMEDIATION_ERROR_CODES, RemediationError, isRemediationError, type RemediationErrorCode } from './remediation.errors';
export {
  actionableNetwork, formatIpNetwork, isSingleAddress, networkContains, networksOverlap, parseIpNetwork, type IpNetwork,
} from './network/ip-network.parser';
export { defaultPolicies } from './policy/policy.defaults';
export { loadPolicyFile, parsePolicyFile } from './policy/policy-file.loader';
export { PolicySet, layerPolicies, policyKey } from './policy/policy.set';
export {
  escalatedDuration, evaluateThreat, type DecisionPlan, type EvaluationInput, type OpenDecisionView, type SafetyState, type SkipReason, type Verdict,
} from './safety/safety.engine';
export { type ThreatEvidence } from './safety/threat-evidence';
export { LOOPBACK_NETWORKS } from './safety/allowlist.defaults';
export { EvidenceWindow } from './evidence/evidence.window';
export { DecisionSimulator, type DecisionSimulatorOptions, type SimulatedDecision } from './simulation/decision.simulator';
