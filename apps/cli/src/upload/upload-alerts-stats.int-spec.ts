// `vigil upload`, `vigil alerts` and `vigil stats` against the real pipeline (ingestion,
// detection, classification with the shipped models) behind a real gateway, on a committed
// sample of real NSL-KDD rows.
import { join } from 'node:path';
import { repoRoot } from '@vigil/testing';
import { alertsCommand } from '../alerts/alerts.command';
import { statsCommand } from '../stats/stats.command';
import { startCliStack, type CliStack } from '../testing/cli-stack.fixture';
import { uploadCommand } from './upload.command';

describe('vigil upload, alerts, stats (real pipeline)', () => {
  let stack: CliStack;
  const commands = [uploadCommand, alertsCommand, statsCommand];
  const sample = join(repoRoot(__dirname), 'libs', 'contracts', 'test-data', 'nsl-kdd-train.txt.gz');

  beforeAll(async () => {
    stack = await startCliStack(['ingestion', 'detection', 'classification']);
  }, 180_000);
  afterAll(() => stack?.stop());

  it('uploads a real sample to completion, then lists its alerts and counts its flows', async () => {
    const up = await stack.vigil({ argv: ['upload', sample], commands, role: 'operator' });
    expect({ code: up.code, err: up.err }).toEqual({ code: 0, err: '' });
    const id = /^job {8}(\S+) \(completed\)$/m.exec(up.out)?.[1];
    expect({ out: up.out, id }).toEqual({ out: up.out, id: expect.any(String) });
    const rows = /rows {7}(\d+) read, (\d+) accepted, 0 duplicates, (\d+) rejected/.exec(up.out);
    const scored = /scored {5}(\d+) flows, (\d+) threats/.exec(up.out);
    expect(Number(rows?.[2])).toBeGreaterThan(0);
    expect(Number(scored?.[1])).toBe(Number(rows?.[2]));
    const threats = Number(scored?.[2]);
    expect(threats).toBeGreaterThan(0);

    const alerts = await stack.vigil({ argv: ['alerts', '--job', id!, '--limit', '1000', '--json'], commands, role: 'viewer' });
    expect(alerts.code).toBe(0);
    const items = (JSON.parse(alerts.out) as { items: { jobId?: string; attackClass: string }[] }).items;
    expect(items).toHaveLength(threats);
    const text = await stack.vigil({ argv: ['alerts', '--job', id!, '--limit', '5'], commands, role: 'viewer' });
    const lines = text.out.trimEnd().split('\n');
    expect(lines[0]).toBe('TIME\tCONTRACT\tCLASS\tCONF\tSOURCE\tDESTINATION\tMODEL\tID');
    expect(lines.slice(1)).toHaveLength(5);
    for (const line of lines.slice(1)) expect(line).toMatch(/\tnsl-kdd\t\S+\t\d\.\d{3}\t.*\tattack-classifier-nsl-kdd@1\t[0-9a-f]+$/);

    const stats = await stack.vigil({ argv: ['stats', '--window', '60', '--json'], commands, role: 'viewer' });
    expect(stats.code).toBe(0);
    const totals = (JSON.parse(stats.out) as { totals: { flows: number; threats: number } }).totals;
    expect(totals).toMatchObject({ flows: Number(rows?.[2]), threats });
    expect(await stack.vigil({ argv: ['upload', sample], commands, role: 'viewer' })).toMatchObject({ code: 1, err: expect.stringContaining('AUTH.FORBIDDEN') });
  }, 120_000);
});
