import { createHmac } from 'node:crypto';
import { signWebhook, verifyWebhook } from './webhook.signature';

describe('webhook signatures', () => {
  const secret = 'a-long-shared-secret-value';
  const body = '{"type":"decision.applied"}';

  it('is HMAC-SHA256 over "<timestamp>.<body>" in hex, as the docs tell receivers', () => {
    const expected = createHmac('sha256', secret).update(`1700000000.${body}`).digest('hex');
    expect(signWebhook({ secret, timestamp: 1700000000, body })).toBe(`sha256=${expected}`);
  });

  it('verifies a fresh delivery and refuses a changed body, another secret, a stale or missing timestamp', () => {
    const signature = signWebhook({ secret, timestamp: 1700000000, body });
    const check = (over: Partial<Parameters<typeof verifyWebhook>[0]>) =>
      verifyWebhook({ secret, timestamp: '1700000000', signature, body, nowSeconds: 1700000010, ...over });
    expect(check({})).toBe(true);
    expect(check({ body: `${body} ` })).toBe(false);
    expect(check({ secret: 'another-secret-value-xx' })).toBe(false);
    expect(check({ nowSeconds: 1700000000 + 301 })).toBe(false);
    expect(check({ timestamp: undefined })).toBe(false);
    expect(check({ timestamp: '1700000001' })).toBe(false);
    expect(check({ signature: signature.slice(0, -1) })).toBe(false);
  });
});
