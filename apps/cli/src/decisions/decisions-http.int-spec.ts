// `vigil decisions` through the gateway's REST API (VIGIL_URL/VIGIL_API_KEY set) against real
// gateway and self-healing processes.
import { type Decision } from '@vigil/contracts';
import { startCliStack, type CliStack } from '../testing/cli-stack.fixture';
import { decisionsCommand } from './decisions.command';

describe('vigil decisions over the gateway (HTTP transport)', () => {
  let stack: CliStack;
  const decisions = (argv: string[], role: 'viewer' | 'operator' | 'admin' = 'admin') =>
    stack.vigil({ argv: ['decisions', ...argv], commands: [decisionsCommand], role, env: { VIGIL_ACTOR: 'cli-http' } });

  beforeAll(async () => {
    stack = await startCliStack(['self-healing']);
  }, 120_000);
  afterAll(() => stack?.stop());

  it('switches simulation, bans, lists, shows the audit trail under the key, unbans; roles are enforced', async () => {
    expect(await decisions(['simulation'], 'viewer')).toMatchObject({ code: 0, out: expect.stringMatching(/^simulation on/) });
    expect(await decisions(['simulation', 'off'], 'operator')).toMatchObject({ code: 1, err: expect.stringContaining('AUTH.FORBIDDEN') });
    expect(await decisions(['simulation', 'off', '--reason', 'go live'])).toMatchObject({ code: 0, out: expect.stringContaining('simulation off') });
    const created = await decisions(['create', '203.0.113.88', '--duration', '30m', '--reason', 'seen brute-forcing', '--json'], 'operator');
    expect(created.code).toBe(0);
    const decision = JSON.parse(created.out) as Decision;
    expect(decision).toMatchObject({ value: '203.0.113.88', action: 'ban', status: 'active', durationSeconds: 1800, origin: 'manual' });
    expect((await decisions(['list', '--status', 'active'], 'viewer')).out).toMatch(new RegExp(`${decision.id}\\s+active\\s+ban\\s+203\\.0\\.113\\.88`));
    expect(await decisions(['revoke', decision.id, '--reason', 'false positive'], 'operator')).toMatchObject({ code: 0, out: expect.stringContaining(`${decision.id}  revoked  ban 203.0.113.88`) });
    const shown = await decisions(['show', decision.id], 'viewer');
    expect(shown.out).toMatch(/- -> active\s+cli-http \(key:operator\)\s+manual: seen brute-forcing/);
    expect(shown.out).toMatch(/active -> revoked\s+cli-http \(key:operator\)\s+revoked: false positive/);
    expect(await decisions(['allowlist', 'add', '192.0.2.0/24', '--note', 'office'])).toMatchObject({ code: 0, out: 'allowlisted 192.0.2.0/24\n' });
    expect(await decisions(['create', '192.0.2.9'], 'operator')).toMatchObject({ code: 1, err: expect.stringContaining('SELF_HEALING.ALLOWLISTED') });
    expect(await decisions(['allowlist', 'remove', '192.0.2.0/24'])).toMatchObject({ code: 0, out: 'removed\n' });
  }, 60_000);
});
