import { parseArgs } from 'node:util';
import { DEFAULT_NATS_URL, loadConfig, sharedEnvShape } from '@vigil/config';
import { pipelineTopology } from '@vigil/contracts';
import { type DeadLetterEntry, NatsClient, listDeadLetters, replayDeadLetter } from '@vigil/messaging';
import { z } from 'zod';
import { CliUsageError, type CliCommand, type CliIo } from '../command/cli-command';

const usage = `Usage: vigil dlq list [--limit N] [--json]
       vigil dlq replay --seq N[,N...] | --all [--include-poison]

The dead letters of the pipeline (stream DLQ): messages a consumer gave up on, kept with their
original subject, headers and bytes. \`list\` shows why each failed; \`replay\` publishes them to
their original subject again (once what made them fail is fixed) and removes them from the DLQ.
\`--all\` replays the ones retried until given up (reason max-deliver); add --include-poison for
the ones refused as bad input, which fail the same way unless the code that refused them changed.
NATS_URL (default ${DEFAULT_NATS_URL}) and PIPELINE_PREFIX from the environment.
`;

const envSchema = z.object({ NATS_URL: sharedEnvShape.NATS_URL });

/** Runs fn against the DLQ stream; when there is none, says so and returns `missing`. */
async function withDlq<T>(io: CliIo, missing: T, fn: (args: { client: NatsClient; stream: string }) => Promise<T>): Promise<T> {
  const servers = loadConfig(envSchema, io.env).NATS_URL;
  const client = await NatsClient.connect({ servers, name: 'vigil-cli-dlq' });
  const stream = pipelineTopology(io.env['PIPELINE_PREFIX'] ?? '').streams.DLQ.name;
  try {
    const found = await (await client.manager()).streams.info(stream).then(() => true, (err: unknown) => {
      if ((err as { name?: string }).name === 'StreamNotFoundError') return false;
      throw err;
    });
    if (!found) {
      io.stderr.write(`no dead-letter stream ${stream} on ${servers.join(',')}: nothing was dead-lettered yet (or PIPELINE_PREFIX is not the pipeline's)\n`);
      return missing;
    }
    return await fn({ client, stream });
  } finally {
    await client.drain();
  }
}

function row(e: DeadLetterEntry): string {
  return [e.seq, e.failedAt || '-', e.reason || '-', e.originalSubject || '-', `${e.stream}/${e.consumer}#${e.originalSeq}`, e.deliveryCount, e.bytes, `${e.errorCode}: ${e.errorMessage}`].join('\t');
}

async function list(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { limit: { type: 'string' }, json: { type: 'boolean' } }, strict: true });
  const limit = values.limit === undefined ? 1_000 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new CliUsageError('--limit must be a whole number of at least 1');
  const entries = await withDlq<DeadLetterEntry[]>(io, [], async ({ client, stream }) => listDeadLetters(await client.manager(), { stream, limit }));
  if (values.json) {
    io.stdout.write(`${JSON.stringify(entries)}\n`);
    return 0;
  }
  io.stdout.write(`${['SEQ', 'FAILED AT', 'REASON', 'SUBJECT', 'FROM', 'DELIVERIES', 'BYTES', 'ERROR'].join('\t')}\n`);
  for (const e of entries) io.stdout.write(`${row(e)}\n`);
  io.stderr.write(`${entries.length} dead letter${entries.length === 1 ? '' : 's'}${entries.length === limit ? ` (first ${limit}; --limit for more)` : ''}\n`);
  return 0;
}

async function replay(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { seq: { type: 'string' }, all: { type: 'boolean' }, 'include-poison': { type: 'boolean' } }, strict: true });
  if ((values.seq === undefined) === (values.all !== true)) throw new CliUsageError('replay needs either --seq N[,N...] or --all');
  const seqs = values.seq?.split(',').map((s) => Number(s.trim()));
  if (seqs?.some((s) => !Number.isInteger(s) || s < 1)) throw new CliUsageError('--seq takes dead-letter sequence numbers as `vigil dlq list` shows them, e.g. --seq 4,7');
  return withDlq(io, 1, async ({ client, stream }) => {
    const jsm = await client.manager();
    const js = client.jetstream;
    let chosen: number[];
    if (seqs) chosen = seqs;
    else {
      const all = await listDeadLetters(jsm, { stream, limit: Number.MAX_SAFE_INTEGER });
      const skipped = all.filter((e) => e.reason === 'poison' && values['include-poison'] !== true);
      if (skipped.length > 0) io.stderr.write(`skipping ${skipped.length} poison dead letter${skipped.length === 1 ? '' : 's'} (--include-poison to replay them too)\n`);
      chosen = all.filter((e) => !skipped.includes(e)).map((e) => e.seq);
    }
    let failed = 0;
    for (const seq of chosen) {
      try {
        const { entry, duplicate } = await replayDeadLetter(js, jsm, { stream, seq });
        io.stdout.write(`replayed ${seq} to ${entry.originalSubject}${duplicate ? ' (already stored by an earlier replay)' : ''}\n`);
      } catch (err) {
        failed += 1;
        io.stderr.write(`could not replay ${seq}: ${err instanceof Error ? err.message : String(err)}\n`);
      }
    }
    io.stderr.write(`${chosen.length - failed} of ${chosen.length} replayed\n`);
    return failed > 0 ? 1 : 0;
  });
}

export const dlqCommand: CliCommand = {
  name: 'dlq',
  summary: 'List the dead letters of the pipeline and replay them',
  usage,
  async run(argv, io) {
    const [sub, ...rest] = argv;
    try {
      switch (sub) {
        case 'list':
          return await list(rest, io);
        case 'replay':
          return await replay(rest, io);
        default:
          throw new CliUsageError(sub === undefined ? 'name a sub-command: list or replay' : `unknown sub-command "${sub}"`);
      }
    } catch (err) {
      if (err instanceof TypeError && (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) throw new CliUsageError(err.message);
      throw err;
    }
  },
};
