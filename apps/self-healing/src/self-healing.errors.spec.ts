import { parseIpNetwork, parsePolicyFile } from '@vigil/remediation';
import { asSelfHealingError } from './self-healing.errors';

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return asSelfHealingError(error);
  }
  throw new Error('expected a throw');
}

describe('asSelfHealingError', () => {
  it('keeps the codes self-healing users have always seen for the shared engine\'s errors', () => {
    expect(caught(() => parseIpNetwork('10.0.0.1; drop'))).toMatchObject({ code: 'SELF_HEALING.INVALID_ADDRESS', kind: 'invalid-input' });
    const bad = caught(() => parsePolicyFile({ path: 'p.yaml', text: 'policies: [', defaults: [] }));
    expect(bad).toMatchObject({ code: 'SELF_HEALING.POLICY_FILE_INVALID', details: { path: 'p.yaml', problems: [expect.any(String)] } });
  });

  it('passes any other error through unchanged', () => {
    const other = new TypeError('x');
    expect(asSelfHealingError(other)).toBe(other);
  });
});
