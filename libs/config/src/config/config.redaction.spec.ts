import { redactConfig, redactUrl } from './config.redaction';

describe('redactConfig', () => {
  it('hides secret keys and URL passwords, keeping everything else', () => {
    const safe = redactConfig({
      port: 8080,
      databaseUrl: 'postgres://vigil:s3cret@db:5432/vigil',
      auth: { apiKey: 'abc', issuer: 'vigil' },
      natsServers: ['nats://a:4222'],
    });
    expect(safe).toEqual({
      port: 8080,
      databaseUrl: 'postgres://vigil:[redacted]@db:5432/vigil',
      auth: { apiKey: '[redacted]', issuer: 'vigil' },
      natsServers: ['nats://a:4222'],
    });
  });

  it('leaves a URL without a password unchanged', () => {
    expect(redactUrl('postgres://postgres@127.0.0.1:5432/test')).toBe('postgres://postgres@127.0.0.1:5432/test');
  });
});
