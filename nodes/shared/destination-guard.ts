/**
 * Which landing pages the Check Destinations option may request, judged from the URL alone: a
 * node may use no DNS of its own, so a host name is judged by its name (localhost, metadata
 * names) and only an address written in the URL by its range. Never: link-local (the cloud
 * metadata service), metadata addresses, unspecified, multicast, broadcast, reserved. Loopback
 * and private ranges only when the tracking server itself is reached on one (a local install).
 */

type Range = 'public' | 'local' | 'blocked';

const metadataNames = new Set(['metadata', 'metadata.google.internal', 'metadata.azure.internal']);
const metadataAddresses = new Set(['100.100.100.200', '168.63.129.16']);

function ipv4Range(address: string): Range | undefined {
	const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(address);
	if (!match) return undefined;
	const [a, b] = [Number(match[1]), Number(match[2])];
	if (metadataAddresses.has(address)) return 'blocked';
	if (a === 0 || a >= 224 || (a === 169 && b === 254)) return 'blocked';
	if (a === 127 || a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168))
		return 'local';
	if (a === 100 && b >= 64 && b <= 127) return 'local';
	return 'public';
}

/** The eight 16-bit groups of an IPv6 address as the URL parser writes it (compressed, no zone). */
function ipv6Groups(address: string): number[] | undefined {
	if (!/^[0-9a-f:.]+$/.test(address) || !address.includes(':')) return undefined;
	const [head, tail] = address.includes('::') ? address.split('::') : [address, undefined];
	const parse = (part: string) => (part === '' ? [] : part.split(':'));
	const toGroups = (parts: string[]) =>
		parts.flatMap((part) => {
			const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(part);
			if (v4) return [Number(v4[1]) * 256 + Number(v4[2]), Number(v4[3]) * 256 + Number(v4[4])];
			return [parseInt(part, 16)];
		});
	const before = toGroups(parse(head));
	const after = tail === undefined ? [] : toGroups(parse(tail));
	const missing = 8 - before.length - after.length;
	if (missing < 0 || (tail === undefined && missing !== 0)) return undefined;
	return [...before, ...new Array<number>(missing).fill(0), ...after];
}

function ipv6Range(groups: number[]): Range {
	const embedded = () =>
		ipv4Range(`${groups[6] >> 8}.${groups[6] & 255}.${groups[7] >> 8}.${groups[7] & 255}`) ??
		'blocked';
	const zeroUpTo = (n: number) => groups.slice(0, n).every((g) => g === 0);
	if (zeroUpTo(8)) return 'blocked'; // ::
	if (zeroUpTo(7) && groups[7] === 1) return 'local'; // ::1
	if (zeroUpTo(5) && groups[5] === 0xffff) return embedded(); // IPv4-mapped
	if (groups[0] === 0x64 && groups[1] === 0xff9b && groups.slice(2, 6).every((g) => g === 0))
		return embedded(); // NAT64
	if (groups.join(':') === [0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x254].join(':')) return 'blocked'; // AWS metadata
	if ((groups[0] & 0xffc0) === 0xfe80 || (groups[0] & 0xff00) === 0xff00) return 'blocked'; // link-local, multicast
	if ((groups[0] & 0xfe00) === 0xfc00) return 'local'; // unique local
	if (zeroUpTo(1)) return 'blocked'; // other special ::/16 forms
	return 'public';
}

/** The range of a URL's host (as URL.hostname gives it). */
export function hostRange(hostname: string): Range {
	const host = hostname.toLowerCase().replace(/\.$/, '');
	if (host.startsWith('[')) {
		const groups = ipv6Groups(host.slice(1, -1));
		return groups ? ipv6Range(groups) : 'blocked';
	}
	const v4 = ipv4Range(host);
	if (v4) return v4;
	if (metadataNames.has(host)) return 'blocked';
	if (host === 'localhost' || host.endsWith('.localhost')) return 'local';
	return 'public';
}

/** Why a URL is not requested, or undefined when it may be. */
export function destinationRefusal(url: URL, allowLocal: boolean): string | undefined {
	if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'it is not an http(s) URL';
	const range = hostRange(url.hostname);
	if (range === 'blocked')
		return 'its address is never requested (link-local, metadata, multicast or reserved)';
	if (range === 'local' && !allowLocal) {
		return 'its address is loopback or private, requested only when the tracking server is on one too';
	}
	return undefined;
}
