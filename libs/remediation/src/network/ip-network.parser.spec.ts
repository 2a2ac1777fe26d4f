import { actionableNetwork, formatIpNetwork, networkContains, parseIpNetwork } from './ip-network.parser';

const canon = (text: string): string => formatIpNetwork(parseIpNetwork(text));

describe('parseIpNetwork', () => {
  it('canonicalises addresses and networks, clearing host bits', () => {
    expect(canon('192.0.2.7')).toBe('192.0.2.7');
    expect(canon('192.0.2.7/24')).toBe('192.0.2.0/24');
    expect(canon('2001:DB8:0:0:0:0:0:1')).toBe('2001:db8::1');
    expect(canon('2001:db8:1:2:3:4:5:6/64')).toBe('2001:db8:1:2::/64');
    expect(canon('::ffff:198.51.100.9')).toBe('198.51.100.9');
    expect(canon('::1')).toBe('::1');
    expect(canon('0.0.0.0/0')).toBe('0.0.0.0/0');
  });

  it.each([
    '', '1.2.3', '1.2.3.4/33', '1.2.3.4/24/1', '256.1.1.1', 'fe80::1%eth0', '1.2.3.4; flush ruleset', '1.2.3.4 }', '2001:db8::/129', 'example.com', '01.2.3.4',
  ])('refuses %j with REMEDIATION.INVALID_ADDRESS', (text) => {
    expect(() => parseIpNetwork(text)).toThrow(expect.objectContaining({ code: 'REMEDIATION.INVALID_ADDRESS' }));
  });

  it('acts on an IPv6 source as its /64 and on an IPv4 source as itself', () => {
    expect(formatIpNetwork(actionableNetwork(parseIpNetwork('2001:db8:aa:bb:1:2:3:4')))).toBe('2001:db8:aa:bb::/64');
    expect(formatIpNetwork(actionableNetwork(parseIpNetwork('203.0.113.5')))).toBe('203.0.113.5');
  });

  it('tells whether a network contains another', () => {
    expect(networkContains(parseIpNetwork('10.0.0.0/8'), parseIpNetwork('10.20.30.40'))).toBe(true);
    expect(networkContains(parseIpNetwork('10.0.0.0/8'), parseIpNetwork('11.0.0.1'))).toBe(false);
    expect(networkContains(parseIpNetwork('::1'), parseIpNetwork('127.0.0.1'))).toBe(false);
    expect(networkContains(parseIpNetwork('2001:db8::/32'), parseIpNetwork('2001:db8:1::/48'))).toBe(true);
  });
});
