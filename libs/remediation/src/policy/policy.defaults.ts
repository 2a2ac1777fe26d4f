import { CIC_CONTRACT, NSL_KDD_CONTRACT, type Contract, type Policy } from '@vigil/contracts';

type Tuning = Omit<Policy, 'contract' | 'attackClass' | 'enabled'>;

const MINUTE = 60;
const HOUR = 3600;
const DAY = 24 * HOUR;

// Volumetric attacks arrive as many flows quickly: a high bar on confidence and count, short bans.
const VOLUMETRIC: Tuning = {
  action: 'ban', minConfidence: 0.9, evidenceCount: 20, evidenceWindowSeconds: MINUTE,
  durationSeconds: 15 * MINUTE, escalationFactor: 2, maxDurationSeconds: DAY, requiresApproval: false,
};
// Scans: throttle first; a scanner that keeps going earns longer throttles.
const RECON: Tuning = {
  action: 'throttle', minConfidence: 0.9, evidenceCount: 10, evidenceWindowSeconds: MINUTE,
  durationSeconds: 30 * MINUTE, escalationFactor: 2, maxDurationSeconds: DAY, requiresApproval: false,
};
// Credential guessing and web exploitation: few flows are already meaningful.
const INTRUSION: Tuning = {
  action: 'ban', minConfidence: 0.85, evidenceCount: 5, evidenceWindowSeconds: 5 * MINUTE,
  durationSeconds: HOUR, escalationFactor: 2, maxDurationSeconds: 7 * DAY, requiresApproval: false,
};
// Signs of a compromised host inside the network: a human decides; banning it may cut a server off.
const COMPROMISE: Tuning = {
  action: 'ban', minConfidence: 0.9, evidenceCount: 3, evidenceWindowSeconds: 10 * MINUTE,
  durationSeconds: HOUR, escalationFactor: 2, maxDurationSeconds: DAY, requiresApproval: true,
};
// Anything else the model calls an attack: tell someone, touch nothing.
const FALLBACK: Tuning = {
  action: 'alert', minConfidence: 0.8, evidenceCount: 1, evidenceWindowSeconds: MINUTE,
  durationSeconds: HOUR, escalationFactor: 1, maxDurationSeconds: HOUR, requiresApproval: false,
};

/** Tuning per label family; every attack label of a contract inherits its family's. */
const FAMILY_TUNING: Readonly<Record<Contract['id'], Readonly<Record<string, Tuning>>>> = {
  'nsl-kdd': { DoS: VOLUMETRIC, Probe: RECON, R2L: INTRUSION, U2R: COMPROMISE },
  cicflowmeter: {
    DoS: VOLUMETRIC, Recon: RECON, BruteForce: INTRUSION, WebAttack: INTRUSION,
    Heartbleed: { ...INTRUSION, evidenceCount: 1 }, Botnet: COMPROMISE, Infiltration: COMPROMISE,
  },
};

/**
 * The shipped policies: one per attack label of both contracts (canonical and coarse
 * labels alike), one per family, and a `*` fallback per contract, so every class the
 * classifier can name has an explicit, reviewable entry.
 */
export function defaultPolicies(): Policy[] {
  const policies: Policy[] = [];
  for (const contract of [NSL_KDD_CONTRACT, CIC_CONTRACT]) {
    const tuning = FAMILY_TUNING[contract.id];
    for (const family of contract.families) {
      const t = tuning[family];
      if (t) policies.push({ contract: contract.id, attackClass: family, enabled: true, ...t });
    }
    for (const label of contract.labels) {
      const t = tuning[label.family];
      if (!label.isAttack || !t || label.label === label.family) continue;
      policies.push({ contract: contract.id, attackClass: label.label, enabled: true, ...t });
    }
    policies.push({ contract: contract.id, attackClass: '*', enabled: true, ...FALLBACK });
  }
  return policies;
}
