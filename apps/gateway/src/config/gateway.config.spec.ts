import { loadGatewayConfig } from './gateway.config';

const base = { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test', NATS_URL: 'nats://127.0.0.1:4222' };

describe('gateway config: CORS origins', () => {
  it('takes `*` and exact origins, trimmed', () => {
    expect(loadGatewayConfig({ ...base, GATEWAY_CORS_ORIGINS: ' https://soc.example.org, http://localhost:5173 ' }).corsOrigins).toEqual(['https://soc.example.org', 'http://localhost:5173']);
    expect(loadGatewayConfig({ ...base, GATEWAY_CORS_ORIGINS: '*' }).corsOrigins).toEqual(['*']);
    expect(loadGatewayConfig(base).corsOrigins).toEqual([]);
  });

  it.each(['soc.example.org', 'https://soc.example.org/', 'https://soc.example.org/app', 'ftp://soc.example.org', 'https://*.example.org'])(
    'stops start-up on an entry that could never match a browser Origin: %s',
    (entry) => {
      expect(() => loadGatewayConfig({ ...base, GATEWAY_CORS_ORIGINS: `https://ok.example.org,${entry}` })).toThrow(/GATEWAY_CORS_ORIGINS/);
    },
  );
});
