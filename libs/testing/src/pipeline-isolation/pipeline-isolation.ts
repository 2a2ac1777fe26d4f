import { randomBytes } from 'node:crypto';
import { NatsClient } from '@vigil/messaging';

/**
 * A pipeline prefix of a test's own: every stream and subject a service creates under it is
 * private to the test, so tests never share (or collide with) the streams of a Vigil stack
 * running on the same NATS server.
 */
export function isolatedPipelinePrefix(): string {
  return `t${randomBytes(6).toString('hex')}`;
}

/** Deletes every JetStream stream named `<prefix>_*`: what services created for an isolated prefix. */
export async function deletePipelineStreams(prefix: string, natsUrl = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222'): Promise<string[]> {
  const client = await NatsClient.connect({ servers: natsUrl, name: 'vigil-test-cleanup' });
  try {
    const jsm = await client.manager();
    const deleted: string[] = [];
    for await (const info of jsm.streams.list()) {
      const name = info.config.name;
      if (name.startsWith(`${prefix}_`) && (await jsm.streams.delete(name))) deleted.push(name);
    }
    return deleted;
  } finally {
    await client.drain();
  }
}
