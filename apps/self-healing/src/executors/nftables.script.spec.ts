import { parseIpNetwork } from '@vigil/remediation';
import { removeElementScript, replaceTableScript, upsertElementScript } from './nftables.script';

describe('nftables scripts', () => {
  it('replace the whole table atomically, sets with native timeouts, drop and per-source rate-limit rules', () => {
    const script = replaceTableScript({
      throttlePps: 25,
      elements: [
        { network: parseIpNetwork('203.0.113.9'), kind: 'ban', timeoutSeconds: 59.2 },
        { network: parseIpNetwork('2001:db8::/64'), kind: 'throttle', timeoutSeconds: 3600 },
      ],
    });
    expect(script.startsWith('add table inet vigil\ndelete table inet vigil\ntable inet vigil {\n')).toBe(true);
    expect(script).toContain('set ban_v4 { type ipv4_addr; flags interval, timeout; }');
    expect(script).toContain('ip saddr @ban_v4 drop');
    expect(script).toContain('limit rate over 25/second');
    expect(script).toContain('add element inet vigil ban_v4 { 203.0.113.9 timeout 60s }');
    expect(script).toContain('add element inet vigil throttle_v6 { 2001:db8::/64 timeout 3600s }');
  });

  it('refresh an element by removing it from both sets first, which works whether or not the kernel holds it', () => {
    expect(upsertElementScript({ network: parseIpNetwork('198.51.100.0/24'), kind: 'ban', timeoutSeconds: 10 }).trim().split('\n')).toEqual([
      'add element inet vigil throttle_v4 { 198.51.100.0/24 }',
      'delete element inet vigil throttle_v4 { 198.51.100.0/24 }',
      'add element inet vigil ban_v4 { 198.51.100.0/24 }',
      'delete element inet vigil ban_v4 { 198.51.100.0/24 }',
      'add element inet vigil ban_v4 { 198.51.100.0/24 timeout 10s }',
    ]);
    expect(removeElementScript(parseIpNetwork('2001:db8::1'))).toContain('delete element inet vigil ban_v6 { 2001:db8::1 }');
  });
});
