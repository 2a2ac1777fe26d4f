import { parseArgs } from 'node:util';
import { CliUsageError, type CliCommand } from '../command/cli-command';
import { GatewayApiClient } from '../upload/gateway-api.client';

const usage = `Usage: vigil alerts [--since MINUTES] [--contract C] [--class NAME] [--source-ip IP] [--min-confidence P] [--job ID] [--limit N] [--json]

Lists the newest alerts from the gateway (VIGIL_URL, VIGIL_API_KEY with at least the viewer role).
`;

interface AlertItem {
  id: string; at: string; contract: string; attackClass: string; confidence: number; sourceIp: string | null; destinationIp: string | null;
  destinationPort: number | null; classifier: { name: string; version: string };
}

export const alertsCommand: CliCommand = {
  name: 'alerts',
  summary: 'List recent alerts from the gateway',
  usage,
  async run(argv, io) {
    let values;
    try {
      ({ values } = parseArgs({
        args: argv, strict: true,
        options: {
          since: { type: 'string' }, contract: { type: 'string' }, class: { type: 'string' }, 'source-ip': { type: 'string' },
          'min-confidence': { type: 'string' }, job: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' },
        },
      }));
    } catch (err) {
      throw new CliUsageError((err as Error).message);
    }
    const query = new URLSearchParams();
    if (values.since !== undefined) {
      const minutes = Number(values.since);
      if (!Number.isFinite(minutes) || minutes <= 0) throw new CliUsageError('--since takes a number of minutes');
      query.set('from', new Date(Date.now() - minutes * 60_000).toISOString());
    }
    const map: [string | undefined, string][] = [
      [values.contract, 'contract'], [values.class, 'class'], [values['source-ip'], 'sourceIp'], [values['min-confidence'], 'minConfidence'],
      [values.job, 'jobId'], [values.limit ?? '20', 'limit'],
    ];
    for (const [value, key] of map) if (value !== undefined) query.set(key, value);
    const page = await new GatewayApiClient(io.env).getJson<{ items: AlertItem[]; nextCursor: string | null }>(`/api/v1/alerts?${query}`);
    if (values.json) {
      io.stdout.write(`${JSON.stringify(page, null, 2)}\n`);
      return 0;
    }
    io.stdout.write(`${['TIME', 'CONTRACT', 'CLASS', 'CONF', 'SOURCE', 'DESTINATION', 'MODEL', 'ID'].join('\t')}\n`);
    for (const a of page.items) {
      const dst = a.destinationIp === null ? '-' : `${a.destinationIp}${a.destinationPort === null ? '' : `:${a.destinationPort}`}`;
      io.stdout.write(`${[a.at, a.contract, a.attackClass, a.confidence.toFixed(3), a.sourceIp ?? '-', dst, `${a.classifier.name}@${a.classifier.version}`, a.id].join('\t')}\n`);
    }
    if (page.items.length === 0) io.stderr.write('no alerts\n');
    return 0;
  },
};
