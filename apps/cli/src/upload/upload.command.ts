import { parseArgs } from 'node:util';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { CliUsageError, type CliCommand, type CliIo } from '../command/cli-command';
import { GatewayApiClient } from './gateway-api.client';
import { type JobSummary, renderBar, renderSummary } from './upload.progress';

const usage = `Usage: vigil upload FILE [--no-wait]

Uploads a flow file (CSV/TXT of any contract variant, plain or .gz) to the gateway, shows a
progress bar while it is sent and processed, then the job summary. Needs VIGIL_API_KEY (an
operator key) and VIGIL_URL (default http://127.0.0.1:8080).

Options:
  --no-wait   print the job right after the upload instead of following it to the end
`;

async function isGzip(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

async function send(api: GatewayApiClient, path: string, io: CliIo): Promise<JobSummary> {
  const size = (await stat(path)).size;
  // Sniffed before the stream opens: chunks read while awaiting would reach only the progress
  // listener, not the request body (the body would fall short of content-length).
  const contentType = (await isGzip(path)) ? 'application/gzip' : 'text/csv';
  let sent = 0;
  const source = createReadStream(path, { highWaterMark: 256 * 1024 });
  source.on('data', (chunk) => {
    sent += chunk.length;
    if (io.stderr.isTTY) io.stderr.write(`\r${renderBar('upload', size === 0 ? 1 : sent / size)}`);
  });
  const res = await api.fetch(`/api/v1/upload/csv?filename=${encodeURIComponent(basename(path))}`, {
    method: 'POST',
    headers: api.headers({ 'content-type': contentType, 'content-length': String(size) }),
    body: Readable.toWeb(source) as ReadableStream<Uint8Array>,
    duplex: 'half',
  });
  if (io.stderr.isTTY) io.stderr.write('\n');
  return api.json<JobSummary>(res);
}

async function follow(api: GatewayApiClient, job: JobSummary, io: CliIo): Promise<JobSummary> {
  let current = job;
  while (!['completed', 'failed', 'duplicate'].includes(current.state)) {
    await new Promise((r) => setTimeout(r, 500));
    current = await api.getJson<JobSummary>(`/api/v1/jobs/${job.id}`);
    if (io.stderr.isTTY) io.stderr.write(`\r${renderBar(current.state, current.progress)} ${current.rows.read} rows`);
  }
  if (io.stderr.isTTY) io.stderr.write('\n');
  return current;
}

export const uploadCommand: CliCommand = {
  name: 'upload',
  summary: 'Upload a flow file to the gateway and follow its job',
  usage,
  async run(argv, io) {
    let parsed;
    try {
      parsed = parseArgs({ args: argv, options: { 'no-wait': { type: 'boolean' } }, allowPositionals: true, strict: true });
    } catch (err) {
      throw new CliUsageError((err as Error).message);
    }
    const file = parsed.positionals[0];
    if (file === undefined || parsed.positionals.length > 1) throw new CliUsageError('name exactly one FILE');
    const api = new GatewayApiClient(io.env);
    const path = resolve(io.cwd, file);
    const job = await send(api, path, io);
    if (job.duplicate) io.stderr.write(`this content was uploaded before: job ${job.id}\n`);
    const final = parsed.values['no-wait'] ? job : await follow(api, job, io);
    io.stdout.write(renderSummary(final));
    return final.state === 'failed' ? 1 : 0;
  },
};
