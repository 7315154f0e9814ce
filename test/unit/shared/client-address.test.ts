import type { IncomingMessage } from 'node:http';
import { createClientAddress, rateLimitKey } from '../../../server/src/shared/client-address';

/** A request as the HTTP server hands it over: a socket peer and maybe X-Forwarded-For. */
const request = (peer: string | undefined, forwardedFor?: string) =>
	({
		socket: { remoteAddress: peer },
		connection: { remoteAddress: peer },
		headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
	}) as unknown as IncomingMessage;

describe('client address', () => {
	test.each([
		[
			'no proxy trusted: the forwarded header is ignored',
			false,
			'203.0.113.5',
			'198.51.100.1, 203.0.113.9',
			'203.0.113.5',
		],
		[
			'one hop trusted: the address the proxy appended',
			1,
			'10.0.0.2',
			'198.51.100.1, 203.0.113.9',
			'203.0.113.9',
		],
		['two hops trusted', 2, '10.0.0.2', '198.51.100.1, 203.0.113.9', '198.51.100.1'],
		['a trusted subnet', ['10.0.0.0/8'], '10.0.0.2', '198.51.100.1, 10.0.0.7', '198.51.100.1'],
		[
			'a peer outside the trusted subnet: its header is not believed',
			['10.0.0.0/8'],
			'203.0.113.5',
			'198.51.100.1',
			'203.0.113.5',
		],
		[
			'a forwarded value that is no IP: the proxy that passed it',
			1,
			'10.0.0.2',
			"x'); drop table events; --",
			'10.0.0.2',
		],
		[
			'a forged entry beyond a non-IP: still the nearest IP',
			2,
			'10.0.0.2',
			'198.51.100.1, not-an-ip',
			'10.0.0.2',
		],
		['IPv6 forwarded', 1, '10.0.0.2', '2001:db8::7', '2001:db8::7'],
	])('when %s, then the client is that address', (_case, trust, peer, forwarded, expected) => {
		expect(createClientAddress(trust as never)(request(peer, forwarded))).toBe(expected);
	});

	test('when the socket has no peer address any more, then there is no client address', () => {
		expect(createClientAddress(1)(request(undefined, '203.0.113.9'))).toBe('');
	});
});

describe('rate limit key', () => {
	test.each([
		['198.51.100.7', '198.51.100.7'],
		['::ffff:198.51.100.7', '198.51.100.7'],
		['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
		['2001:0DB8:0001:0002::9', '2001:db8:1:2::/64'],
		['2001:db8::1', '2001:db8:0:0::/64'],
		['::1', '0:0:0:0::/64'],
		['fe80::1%eth0', 'fe80:0:0:0::/64'],
		['2001:db8:1:2::1.2.3.4', '2001:db8:1:2::/64'],
	])('when the address is %p, then it is counted as %p', (ip, key) => {
		expect(rateLimitKey(ip)).toBe(key);
	});
});
