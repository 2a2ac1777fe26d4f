// `vigil dlq` against the real NATS JetStream: a consumer of the pipeline's ingest stream
// dead-letters one message it retried until it gave up (its store was away) and one it refused
// as poison; `list` shows both with their reasons, `replay --all` puts the retried one back on its
// original subject with its headers once the store is back (the consumer then takes it) and
// leaves the poison one, which only an explicit --seq replays.
import { Writable } from 'node:stream';
import { headers } from '@nats-io/nats-core';
import { pipelineTopology } from '@vigil/contracts';
import { NatsClient, Poison, ensureDurableConsumer, ensureStream, startPullConsumer, type PullConsumerHandle } from '@vigil/messaging';
import { deletePipelineStreams, expectEventually, uniqueName } from '@vigil/testing';
import { CliUsageError } from '../command/cli-command';
import { dlqCommand } from './dlq.command';

const prefix = uniqueName('dlq').replace(/[^A-Za-z0-9_-]/g, '').slice(0, 24);
const topology = pipelineTopology(prefix);
const env = { PIPELINE_PREFIX: prefix, NATS_URL: process.env.NATS_URL ?? 'nats://127.0.0.1:4222' };

function io() {
  const out: string[] = [];
  const err: string[] = [];
  const sink = (into: string[]) => new Writable({ write: (chunk: Buffer, _e, done) => { into.push(chunk.toString()); done(); } });
  return { io: { stdout: sink(out), stderr: sink(err), cwd: process.cwd(), env }, out: () => out.join(''), err: () => err.join('') };
}

type Entry = { seq: number; reason: string; originalSubject: string; consumer: string; deliveryCount: number; errorMessage: string };

async function list(): Promise<Entry[]> {
  const run = io();
  expect(await dlqCommand.run(['list', '--json'], run.io)).toBe(0);
  return JSON.parse(run.out()) as Entry[];
}

describe('vigil dlq', () => {
  let client: NatsClient;
  let consumer: PullConsumerHandle;
  let storeAway = true;
  const taken: { data: string; job: string | undefined }[] = [];

  beforeAll(async () => {
    client = await NatsClient.connect({ servers: [env.NATS_URL], name: 'dlq-test' });
    const jsm = await client.manager();
    for (const s of [topology.streams.INGEST, topology.streams.DLQ]) await ensureStream(jsm, { ...s, storage: 'file' });
    await ensureDurableConsumer(jsm, { stream: topology.streams.INGEST.name, durable: 'worker', ackWaitMs: 5_000, maxDeliver: 3 });
    consumer = await startPullConsumer({
      js: client.jetstream, stream: topology.streams.INGEST.name, durable: 'worker', expiresMs: 1_000, backoffMs: () => 50,
      deadLetterSubject: topology.deadLetter(topology.streams.INGEST.name, 'worker'),
      handler: async (d) => {
        const data = new TextDecoder().decode(d.data);
        if (data === 'not a flow') throw new Poison('no layout fits', { code: 'INGESTION.UNKNOWN_FORMAT' });
        if (storeAway) throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
        taken.push({ data, job: d.headers?.get('Vigil-Job-Id') });
      },
    });
  });

  afterAll(async () => {
    await consumer?.stop();
    await client?.drain();
    await deletePipelineStreams(prefix);
  });

  it('lists dead letters with their reasons and replays the retried ones to their subject, headers kept', async () => {
    const h = headers();
    h.set('Vigil-Job-Id', '2f0c1c8e-6f1e-4c39-9d47-6a8f1b2c3d4e');
    await client.jetstream.publish(topology.subjects.ingest('nsl-kdd'), 'a chunk', { headers: h });
    await client.jetstream.publish(topology.subjects.ingest('nsl-kdd'), 'not a flow');

    const dead = await expectEventually(async () => {
      const entries = await list();
      expect(entries).toHaveLength(2);
      return entries;
    }, { timeoutMs: 20_000, intervalMs: 200 });
    const retried = dead.find((e) => e.reason === 'max-deliver') as Entry;
    const poison = dead.find((e) => e.reason === 'poison') as Entry;
    expect(retried).toMatchObject({ originalSubject: topology.subjects.ingest('nsl-kdd'), consumer: 'worker', deliveryCount: 3, errorMessage: expect.stringContaining('ECONNREFUSED') });
    expect(poison).toMatchObject({ deliveryCount: 1, errorMessage: 'no layout fits' });
    const table = io();
    expect(await dlqCommand.run(['list'], table.io)).toBe(0);
    expect(table.out()).toContain('max-deliver');
    expect(table.err()).toContain('2 dead letters');

    storeAway = false;
    const replay = io();
    expect(await dlqCommand.run(['replay', '--all'], replay.io)).toBe(0);
    expect(replay.err()).toContain('skipping 1 poison dead letter');
    expect(replay.out()).toContain(`replayed ${retried.seq} to ${topology.subjects.ingest('nsl-kdd')}`);
    await expectEventually(() => expect(taken).toEqual([{ data: 'a chunk', job: '2f0c1c8e-6f1e-4c39-9d47-6a8f1b2c3d4e' }]), { timeoutMs: 10_000 });
    expect((await list()).map((e) => e.seq)).toEqual([poison.seq]);

    // Replaying a sequence that is no longer there fails with a reason and a non-zero code.
    const again = io();
    expect(await dlqCommand.run(['replay', '--seq', String(retried.seq)], again.io)).toBe(1);
    expect(again.err()).toContain(`no dead letter ${retried.seq}`);
  }, 60_000);

  it('refuses a replay that names neither --seq nor --all, or a bad sequence', async () => {
    await expect(dlqCommand.run(['replay'], io().io)).rejects.toThrow(CliUsageError);
    await expect(dlqCommand.run(['replay', '--seq', 'x'], io().io)).rejects.toThrow(CliUsageError);
    await expect(dlqCommand.run(['list', '--limit', '0'], io().io)).rejects.toThrow(CliUsageError);
  });
});
