import { createNetworkHasher, truncateIp } from '../../../server/src/shared/ip-hash';

test.each([
	['203.0.113.9', '203.0.113.0/24'],
	['203.0.113.250', '203.0.113.0/24'],
	['::ffff:203.0.113.9', '203.0.113.0/24'],
	['2001:db8:85a3::8a2e:370:7334', '2001:db8:85a3::/48'],
	['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8:0::/48'],
	['2001:db8::1', '2001:db8:0::/48'],
	['::1', '0:0:0::/48'],
	['fe80::1', 'fe80:0:0::/48'],
])('when the address is %s, then its network is %s', (ip, network) => {
	expect(truncateIp(ip)).toBe(network);
});

test('when two addresses share a network, then their hashes are equal; another network or another salt gives another hash', () => {
	const hash = createNetworkHasher('salt-one-0123456789');
	expect(hash('198.51.100.7')).toBe(hash('198.51.100.200'));
	expect(hash('2001:db8:1:aaaa::1')).toBe(hash('2001:db8:1:bbbb::2'));
	expect(hash('198.51.100.7')).not.toBe(hash('198.51.101.7'));
	expect(createNetworkHasher('salt-two-0123456789')('198.51.100.7')).not.toBe(hash('198.51.100.7'));
});

test('when the salt is a function, then each hash uses the salt it returns at that moment', () => {
	let salt = 'first-salt-0123456789';
	const hash = createNetworkHasher(() => salt);
	const before = hash('198.51.100.7');
	salt = 'second-salt-0123456789';
	expect(hash('198.51.100.7')).not.toBe(before);
	expect(hash('198.51.100.7')).toBe(createNetworkHasher('second-salt-0123456789')('198.51.100.7'));
});
