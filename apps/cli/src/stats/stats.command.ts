import { parseArgs } from 'node:util';
import { CliUsageError, type CliCommand } from '../command/cli-command';
import { GatewayApiClient } from '../upload/gateway-api.client';

const usage = `Usage: vigil stats [--window MINUTES] [--contract C] [--json]

Flows, flagged flows and threats over a window (default 60 minutes), by contract, class and model
version, from the gateway (VIGIL_URL, VIGIL_API_KEY with at least the viewer role).
`;

interface StatsAnswer {
  from: string;
  to: string;
  totals: {
    flows: number; flagged: number; threats: number; detectionRate: number | null;
    byContract: Record<string, { flows: number; flagged: number; threats: number }>; byClass: Record<string, number>; byModel: Record<string, number>;
  };
}

export const statsCommand: CliCommand = {
  name: 'stats',
  summary: 'Prediction statistics from the gateway',
  usage,
  async run(argv, io) {
    let values;
    try {
      ({ values } = parseArgs({ args: argv, strict: true, options: { window: { type: 'string' }, contract: { type: 'string' }, json: { type: 'boolean' } } }));
    } catch (err) {
      throw new CliUsageError((err as Error).message);
    }
    const query = new URLSearchParams({ windowMinutes: values.window ?? '60' });
    if (values.contract) query.set('contract', values.contract);
    const stats = await new GatewayApiClient(io.env).getJson<StatsAnswer>(`/api/v1/predictions/stats?${query}`);
    if (values.json) {
      io.stdout.write(`${JSON.stringify(stats, null, 2)}\n`);
      return 0;
    }
    const t = stats.totals;
    const out = [
      `window     ${stats.from} .. ${stats.to}`,
      `flows      ${t.flows}`,
      `flagged    ${t.flagged} (detection rate ${t.detectionRate === null ? '-' : `${(t.detectionRate * 100).toFixed(2)}%`})`,
      `threats    ${t.threats}`,
      ...Object.entries(t.byContract).map(([c, v]) => `  ${c}: ${v.flows} flows, ${v.flagged} flagged, ${v.threats} threats`),
      'by class:',
      ...Object.entries(t.byClass).sort((a, b) => b[1] - a[1]).map(([c, n]) => `  ${c}: ${n}`),
      'by model:',
      ...Object.entries(t.byModel).map(([m, n]) => `  ${m}: ${n}`),
    ];
    io.stdout.write(`${out.join('\n')}\n`);
    return 0;
  },
};
