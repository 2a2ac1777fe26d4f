import { Writable } from 'node:stream';
import { runWithCorrelationId } from './correlation.context';
import { createLogger } from './logger.factory';
import { NestLoggerAdapter } from './nest-logger.adapter';

function capture(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const lines = () =>
    chunks.join('').split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Record<string, unknown>);
  return { stream, lines };
}

describe('createLogger', () => {
  it('writes one JSON line with service, instance and the correlation id of the async context', async () => {
    const out = capture();
    const logger = createLogger({ service: 'ingestion', instance: 'i-7', destination: out.stream });
    await runWithCorrelationId('req-42', async () => {
      await Promise.resolve();
      logger.info({ rows: 3 }, 'batch published');
    });
    logger.info('outside');
    const [inside, outside] = out.lines();
    expect(inside).toMatchObject({ level: 'info', service: 'ingestion', instance: 'i-7', correlationId: 'req-42', rows: 3, msg: 'batch published' });
    expect(typeof inside.time).toBe('string');
    expect(outside.correlationId).toBeUndefined();
  });

  it('keeps concurrent contexts apart', async () => {
    const out = capture();
    const logger = createLogger({ service: 's', instance: 'i', destination: out.stream });
    const work = (id: string, delayMs: number) =>
      runWithCorrelationId(id, () => new Promise<void>((resolve) => setTimeout(() => { logger.info(id); resolve(); }, delayMs)));
    await Promise.all([work('a', 20), work('b', 1)]);
    expect(out.lines().map((l) => [l.msg, l.correlationId])).toEqual([['b', 'b'], ['a', 'a']]);
  });

  it('redacts secret-named fields at any depth and URL passwords', () => {
    const out = capture();
    const logger = createLogger({ service: 's', instance: 'i', destination: out.stream });
    logger.info(
      { request: { headers: { authorization: 'Bearer t-1', apiKey: 'k-123' } }, password: 'pw', url: 'postgres://u:pw-9@h/db', key: 'LOG_LEVEL' },
      'login',
    );
    const [line] = out.lines();
    expect(line).toMatchObject({
      request: { headers: { authorization: '[redacted]', apiKey: '[redacted]' } },
      password: '[redacted]',
      url: 'postgres://u:[redacted]@h/db',
      key: 'LOG_LEVEL',
    });
    expect(JSON.stringify(line)).not.toMatch(/k-123|pw-9|"pw"|t-1/);
  });
});

describe('NestLoggerAdapter', () => {
  it('turns Nest messages with a context into JSON lines at the right level', () => {
    const out = capture();
    const adapter = new NestLoggerAdapter(createLogger({ service: 's', instance: 'i', level: 'trace', destination: out.stream }));
    adapter.log('Nest application successfully started', 'NestApplication');
    adapter.error('boom', 'Error: boom\n    at x (y.js:1:1)', 'ExceptionsHandler');
    adapter.verbose('detail');
    expect(out.lines()).toEqual([
      expect.objectContaining({ level: 'info', context: 'NestApplication', msg: 'Nest application successfully started' }),
      expect.objectContaining({ level: 'error', context: 'ExceptionsHandler', msg: 'boom', stack: expect.stringContaining('at x') }),
      expect.objectContaining({ level: 'trace', msg: 'detail' }),
    ]);
  });
});
