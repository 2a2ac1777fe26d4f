// `vigil models` against a real gateway and a real model-registry process.
import { join } from 'node:path';
import { repoRoot } from '@vigil/testing';
import { startCliStack, type CliStack } from '../testing/cli-stack.fixture';
import { modelsCommand } from './models.command';

describe('vigil models (through the gateway)', () => {
  let stack: CliStack;
  const models = (argv: string[], role: 'viewer' | 'admin' = 'admin') => stack.vigil({ argv: ['models', ...argv], commands: [modelsCommand], role });

  beforeAll(async () => {
    stack = await startCliStack(['model-registry']);
  }, 120_000);
  afterAll(() => stack?.stop());

  it('lists, uploads a shipped model folder as a new version, promotes it, shows it and rolls back', async () => {
    const listed = await models(['list'], 'viewer');
    expect(listed).toMatchObject({ code: 0, out: expect.stringMatching(/threat-detector-nsl-kdd {2}detect nsl-kdd {2}1 version\(s\), latest v1 {2}production=v1/) });

    const dir = join(repoRoot(__dirname), 'models', 'threat-detector-nsl-kdd', '1');
    expect(await models(['upload', dir], 'viewer')).toMatchObject({ code: 1, err: expect.stringContaining('AUTH.FORBIDDEN') });
    const uploaded = await models(['upload', dir, '--json']);
    expect(uploaded.code).toBe(0);
    expect(JSON.parse(uploaded.out)).toMatchObject({ name: 'threat-detector-nsl-kdd', version: 2, createdBy: 'key:admin' });

    expect(await models(['promote', 'threat-detector-nsl-kdd', '2', '--reason', 'retrained'])).toEqual({ code: 0, out: 'threat-detector-nsl-kdd: production=v2\n', err: '' });
    expect(await models(['promote', 'threat-detector-nsl-kdd', '1', '--share', '10'])).toEqual({ code: 0, out: 'threat-detector-nsl-kdd: production=v2 canary=v1(10%)\n', err: '' });
    const shown = await models(['show', 'threat-detector-nsl-kdd'], 'viewer');
    expect(shown.out).toMatch(/^aliases: production=v2 canary=v1\(10%\)\nthreat-detector-nsl-kdd v2 {2}2791395 bytes .* production .*\nthreat-detector-nsl-kdd v1 .* canary/);
    expect((await models(['show', 'threat-detector-nsl-kdd', '2'], 'viewer')).out).toMatch(/^threat-detector-nsl-kdd v2 {2}2791395 bytes {2}sha256 [0-9a-f]{12}/);

    expect(await models(['rollback', 'threat-detector-nsl-kdd'])).toEqual({ code: 0, out: 'threat-detector-nsl-kdd: production=v1 canary=v1(10%)\n', err: '' });
    expect(await models(['rollback', 'threat-detector-nsl-kdd'])).toMatchObject({ code: 1, err: expect.stringContaining('REGISTRY.NOTHING_TO_ROLL_BACK') });
    expect(await models(['promote', 'threat-detector-nsl-kdd'])).toMatchObject({ code: 2, err: expect.stringContaining('Usage: vigil models') });
  }, 60_000);
});
