import { createHmac } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';

/**
 * The network an address belongs to: IPv4 to its /24, IPv6 to its /48 (an IPv4-mapped IPv6
 * address as IPv4). Hashing the network, not the address, means a leaked salt cannot be used to
 * walk the 2^32 IPv4 addresses back to one person's; a household or an office stays one value.
 */
export function truncateIp(ip: string): string {
	const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
	const address = mapped ? mapped[1] : ip;
	if (isIPv4(address)) return address.replace(/\.\d+$/, '.0') + '/24';
	if (!isIPv6(address)) return address;
	const [head, tail = ''] = address.toLowerCase().split('::');
	const left = head ? head.split(':') : [];
	const right = tail ? tail.split(':') : [];
	const groups = address.includes('::')
		? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right]
		: left;
	return (
		groups
			.slice(0, 3)
			.map((g) => g.replace(/^0+(?=.)/, ''))
			.join(':') + '::/48'
	);
}

/** Keyed hash of a string (HMAC-SHA256): comparable, not reversible without the salt. */
export function createIpHasher(salt: string | Buffer): (ip: string) => string {
	return (ip) => createHmac('sha256', salt).update(ip).digest('base64url').slice(0, 32);
}

/**
 * What events store of a visitor's address: the keyed hash of its network (truncateIp). The salt
 * may be a function, for a salt that rotates (privacy/ip-hash-salts.ts).
 */
export function createNetworkHasher(salt: string | (() => string)): (ip: string) => string {
	const current = typeof salt === 'function' ? salt : () => salt;
	return (ip) =>
		createHmac('sha256', current()).update(truncateIp(ip)).digest('base64url').slice(0, 32);
}
