import { CIC_CONTRACT, NSL_KDD_CONTRACT, policySchema } from '@vigil/contracts';
import { parsePolicyFile } from './policy-file.loader';
import { defaultPolicies } from './policy.defaults';
import { layerPolicies, PolicySet } from './policy.set';

describe('shipped default policies', () => {
  const set = new PolicySet(defaultPolicies());

  it('are valid and resolve every attack label of both contracts to an explicit entry', () => {
    for (const policy of defaultPolicies()) expect(policySchema.parse(policy)).toEqual(policy);
    for (const contract of [NSL_KDD_CONTRACT, CIC_CONTRACT]) {
      for (const label of contract.labels.filter((l) => l.isAttack)) {
        const policy = set.resolve(contract.id, label.label);
        expect(policy).toBeDefined();
        expect([label.label, label.family]).toContain(policy?.attackClass);
      }
    }
  });

  it('never act on a benign label, and fall back to alert-only for a class the contract does not know', () => {
    expect(set.resolve('nsl-kdd', 'normal')).toBeUndefined();
    expect(set.resolve('cicflowmeter', 'BENIGN')).toBeUndefined();
    expect(set.resolve('cicflowmeter', 'Some New Attack')).toMatchObject({ attackClass: '*', action: 'alert' });
  });

  it('map families to sensible actions', () => {
    expect(set.resolve('nsl-kdd', 'neptune')).toMatchObject({ action: 'ban', requiresApproval: false });
    expect(set.resolve('nsl-kdd', 'portsweep')).toMatchObject({ action: 'throttle' });
    expect(set.resolve('nsl-kdd', 'rootkit')).toMatchObject({ requiresApproval: true });
    expect(set.resolve('cicflowmeter', 'Web Attack \u2013 XSS')).toMatchObject({ attackClass: 'Web Attack - XSS', action: 'ban' });
  });
});

describe('policy file', () => {
  const defaults = defaultPolicies();

  it('overrides only the fields an entry names, and later layers win', () => {
    const text = [
      'policies:',
      '  - contract: cicflowmeter',
      '    attackClass: SSH-Patator',
      '    evidenceCount: 2',
      '    requiresApproval: true',
      '  - contract: "*"',
      '    attackClass: "*"',
      '    action: alert',
      '    minConfidence: 0.5',
      '    evidenceCount: 1',
      '    evidenceWindowSeconds: 60',
      '    durationSeconds: 300',
      '    escalationFactor: 1',
      '    maxDurationSeconds: 300',
      '    requiresApproval: false',
    ].join('\n');
    const fromFile = parsePolicyFile({ path: 'p.yaml', text, defaults });
    const set = new PolicySet(layerPolicies(defaults, fromFile));
    expect(set.resolve('cicflowmeter', 'SSH-Patator')).toMatchObject({ action: 'ban', evidenceCount: 2, requiresApproval: true, durationSeconds: 3600 });
    expect(fromFile[1]).toMatchObject({ contract: '*', attackClass: '*', enabled: true });
  });

  it('rejects a bad file listing every problem', () => {
    const text = 'policies:\n  - contract: nsl-kdd\n    attackClass: neptune\n    minConfidence: 2\n  - contract: nsl-kdd\n    attackClass: brand-new\n';
    expect(() => parsePolicyFile({ path: 'p.yaml', text, defaults })).toThrow(
      expect.objectContaining({ code: 'REMEDIATION.POLICY_FILE_INVALID', details: expect.objectContaining({ problems: expect.arrayContaining([expect.stringContaining('minConfidence'), expect.stringContaining('brand-new')]) }) }),
    );
    expect(() => parsePolicyFile({ path: 'p.yaml', text: 'policies: [', defaults })).toThrow(expect.objectContaining({ code: 'REMEDIATION.POLICY_FILE_INVALID' }));
  });
});
