// Test-only support for the int-specs: real NATS at NATS_URL (default 127.0.0.1:4222),
// unique names per test, and polling with a deadline instead of sleeping.
import { randomBytes } from 'node:crypto';
import { NatsClient } from './nats-client.service';
import { ensureStream } from './stream-setup.service';

export const TEST_NATS_SERVERS = process.env['NATS_URL'] ?? '127.0.0.1:4222';

export function uniqueName(prefix: string): string {
  return `${prefix}_${randomBytes(5).toString('hex')}`;
}

export function connectTestClient(name = 'vigil-messaging-test'): Promise<NatsClient> {
  return NatsClient.connect({ servers: TEST_NATS_SERVERS, name });
}

/** Retries `check` until it stops throwing or the deadline passes, then rethrows its last error. */
export async function expectEventually(check: () => void | Promise<void>, opts: { timeoutMs?: number; intervalMs?: number } = {}): Promise<void> {
  const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
  for (;;) {
    try {
      await check();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, opts.intervalMs ?? 25));
    }
  }
}

export interface TestStreams {
  stream: string;
  subject: string;
  dlqStream: string;
  dlqSubject: string;
  /** Dead letters of a durable D go to `<dlqRoot>.D`; kept under the test's own root so a
   *  Vigil stack on the same server (its DLQ stream owns `dlq.>`) cannot collide with it. */
  dlqRoot: string;
  cleanup(): Promise<void>;
}

/** A work stream `<S>` on `<s>.>` and its dead-letter stream on `<s>_dlq.>`, deleted by cleanup. */
export async function createTestStreams(client: NatsClient, prefix = 'MSGTEST'): Promise<TestStreams> {
  const stream = uniqueName(prefix);
  const jsm = await client.manager();
  await ensureStream(jsm, { name: stream, subjects: [`${stream.toLowerCase()}.>`], maxAgeMs: 600_000 });
  const dlqRoot = `${stream.toLowerCase()}_dlq`;
  await ensureStream(jsm, { name: `DLQ_${stream}`, subjects: [`${dlqRoot}.>`], maxAgeMs: 600_000 });
  return {
    stream,
    subject: `${stream.toLowerCase()}.batch`,
    dlqStream: `DLQ_${stream}`,
    dlqSubject: `${dlqRoot}.>`,
    dlqRoot,
    cleanup: async () => {
      await jsm.streams.delete(stream).catch(() => false);
      await jsm.streams.delete(`DLQ_${stream}`).catch(() => false);
    },
  };
}
