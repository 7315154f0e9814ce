import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import proxyAddr from 'proxy-addr';

/** TRUST_PROXY resolved: no proxy, a number of proxy hops, or the proxies' subnets (CIDRs). */
export type TrustProxy = false | number | string[];

function compileTrust(value: number | string[]): (addr: string, i: number) => boolean {
	if (typeof value === 'number') return (_addr, i) => i < value;
	return proxyAddr.compile(value);
}

/**
 * The visitor's address, honouring TRUST_PROXY as Express's `trust proxy` does, but never a value
 * that is not an IP address: X-Forwarded-For is free text, and a forged entry would otherwise be
 * hashed, counted by the rate limits and, with STORE_RAW_IP, break the insert of a whole batch.
 * At such an entry the chain ends: the address before it (the proxy that passed it on) is used.
 * '' when there is none (a socket already closed).
 */
export function createClientAddress(trustProxy: TrustProxy): (req: IncomingMessage) => string {
	// No proxy trusted (the default): the socket's peer, without parsing X-Forwarded-For on the
	// redirect's hot path; a socket's address is always an IP.
	if (trustProxy === false) return (req) => req.socket.remoteAddress ?? '';
	const trust = compileTrust(trustProxy);
	return (req) => {
		if (!req.socket.remoteAddress) return '';
		// Nearest first: the socket's peer, then what each trusted hop says it received from. A
		// hop that is no address breaks the chain: nothing said beyond it is believed.
		let client = '';
		for (const hop of proxyAddr.all(req, trust)) {
			if (!isIP(hop)) break;
			client = hop;
		}
		return client;
	};
}

/**
 * The key a rate limit counts an address under: an IPv4 address as it is, an IPv6 address by its
 * /64 (what one subscriber or host is given, so rotating through it gains nothing), and an
 * IPv4-mapped IPv6 address as the IPv4 address it is.
 */
export function rateLimitKey(ip: string): string {
	const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
	if (mapped) return mapped[1];
	if (isIP(ip) !== 6) return ip;
	const zoneless = ip.split('%')[0].toLowerCase();
	const [head, tail = ''] = zoneless.split('::');
	const headParts = head === '' ? [] : head.split(':');
	const tailParts = zoneless.includes('::') ? (tail === '' ? [] : tail.split(':')) : [];
	// An embedded IPv4 tail (::1.2.3.4) fills the last 32 bits, beyond the /64 kept here.
	const width = (parts: string[]) => parts.reduce((n, part) => n + (part.includes('.') ? 2 : 1), 0);
	const groups = [
		...headParts,
		...Array(8 - width(headParts) - width(tailParts)).fill('0'),
		...tailParts,
	];
	return (
		groups
			.slice(0, 4)
			.map((group) => group.replace(/^0+(?=.)/, ''))
			.join(':') + '::/64'
	);
}
