import { Writable } from 'node:stream';
import { type Decision } from '@vigil/contracts';
import { expectEventually, startMigratedService, uniqueName, type MigratedService } from '@vigil/testing';
import { type CliIo } from '../command/cli-command';
import { runCli } from '../command/cli-runner';
import { decisionsCommand } from './decisions.command';

function capture(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({ write: (chunk: Buffer, _enc, done) => { text += chunk.toString(); done(); } });
  return { stream, text: () => text };
}

describe('vigil decisions against a real self-healing process (NATS transport)', () => {
  const prefix = uniqueName('clid');
  let running: MigratedService;

  const vigil = async (...argv: string[]): Promise<{ code: number; out: string; err: string }> => {
    const out = capture();
    const err = capture();
    const io: CliIo = { stdout: out.stream, stderr: err.stream, cwd: process.cwd(), env: { ...process.env, PIPELINE_PREFIX: prefix, VIGIL_ACTOR: 'cli-test' } };
    const code = await runCli({ argv: ['decisions', ...argv], commands: [decisionsCommand], io });
    return { code, out: out.text(), err: err.text() };
  };

  beforeAll(async () => {
    running = await startMigratedService({ app: 'self-healing', env: { PIPELINE_PREFIX: prefix } });
    await expectEventually(async () => expect((await fetch(`${running.service.url}/readyz`)).status).toBe(200), { timeoutMs: 15_000 });
  });
  afterAll(() => running?.cleanup());

  it('switches simulation, bans, lists, shows the audit trail and unbans', async () => {
    expect(await vigil('simulation')).toMatchObject({ code: 0, out: expect.stringMatching(/^simulation on/) });
    expect(await vigil('simulation', 'off', '--reason', 'go live')).toMatchObject({ code: 0, out: expect.stringContaining('simulation off') });

    const created = await vigil('create', '203.0.113.77', '--duration', '30m', '--reason', 'seen brute-forcing', '--json');
    expect(created.code).toBe(0);
    const decision = JSON.parse(created.out) as Decision;
    expect(decision).toMatchObject({ value: '203.0.113.77', action: 'ban', status: 'active', durationSeconds: 1800, origin: 'manual' });

    const listed = await vigil('list', '--status', 'active');
    expect(listed.out).toMatch(new RegExp(`${decision.id}\\s+active\\s+ban\\s+203\\.0\\.113\\.77`));

    const revoked = await vigil('revoke', decision.id, '--reason', 'false positive');
    expect(revoked).toMatchObject({ code: 0, out: expect.stringContaining(`${decision.id}  revoked  ban 203.0.113.77`) });

    const shown = await vigil('show', decision.id);
    expect(shown.out).toContain('ban ip 203.0.113.77: revoked, origin manual');
    expect(shown.out).toMatch(/- -> active\s+cli-test\s+manual: seen brute-forcing/);
    expect(shown.out).toMatch(/active -> revoked\s+cli-test\s+revoked: false positive/);
  });

  it('edits the allowlist and reports refusals with their codes and exit 1', async () => {
    expect(await vigil('allowlist', 'add', '192.0.2.0/24', '--note', 'office')).toMatchObject({ code: 0, out: 'allowlisted 192.0.2.0/24\n' });
    expect((await vigil('allowlist')).out).toMatch(/192\.0\.2\.0\/24\s+stored\s+office/);
    expect(await vigil('create', '192.0.2.9')).toMatchObject({ code: 1, err: expect.stringContaining('SELF_HEALING.ALLOWLISTED') });
    expect(await vigil('allowlist', 'remove', '192.0.2.0/24')).toMatchObject({ code: 0, out: 'removed\n' });
    expect(await vigil('approve', '00000000-0000-4000-8000-000000000000')).toMatchObject({ code: 1, err: expect.stringContaining('SELF_HEALING.DECISION_NOT_FOUND') });
    expect(await vigil('create')).toMatchObject({ code: 2, err: expect.stringContaining('Usage: vigil decisions') });
  });
});
