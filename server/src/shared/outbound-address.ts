import { networkInterfaces } from 'node:os';
import ipaddr from 'ipaddr.js';

/**
 * Where the server may send requests of its own (webhook deliveries), decided per address after
 * the name is resolved. Never: link-local (169.254/16, fe80::/10, which holds the cloud metadata
 * services), other metadata addresses, unspecified, multicast, broadcast, and the server's own
 * listening ports on its own addresses. Loopback and private ranges (10/8, 172.16/12,
 * 192.168/16, 100.64/10, fc00::/7) only when allowed: for a local install (the server listens on
 * loopback) by default, otherwise by listing them. Other special ranges (documentation,
 * benchmarking, NAT64 and 6to4 prefixes that embed an IPv4 address, reserved) only when listed.
 */
export interface OutboundPolicy {
	/** Loopback and private ranges allowed without listing them. */
	allowLocal: boolean;
	/** Listed networks (CIDRs or single addresses) and host names that may be reached. */
	allowedNetworks: string[];
	/** This server's listening host and its own ports (the API's, the embedded database's). */
	ownHost: string;
	ownPorts: number[];
}

export type OutboundGuard = ReturnType<typeof createOutboundGuard>;

const alwaysBlocked = new Set(['unspecified', 'broadcast', 'multicast', 'linkLocal']);
const local = new Set(['loopback', 'private', 'uniqueLocal', 'carrierGradeNat']);

/** Metadata services outside link-local: AWS over IPv6, Alibaba Cloud, Azure's wire server. */
const metadataAddresses = new Set(['fd00:ec2::254', '100.100.100.200', '168.63.129.16']);

type Cidr = [ipaddr.IPv4 | ipaddr.IPv6, number];

/** An address in its canonical text (IPv4-mapped IPv6 as IPv4); undefined if it is none. */
export function canonicalAddress(text: string): string | undefined {
	const bare = text.replace(/^\[|\]$/g, '').split('%')[0];
	if (!ipaddr.isValid(bare)) return undefined;
	return ipaddr.process(bare).toString();
}

/** Whether a host name or address is this machine's loopback (a local install). */
export function isLoopbackHost(host: string): boolean {
	if (host === 'localhost') return true;
	const address = canonicalAddress(host);
	return address !== undefined && ipaddr.parse(address).range() === 'loopback';
}

export function parseNetwork(entry: string): Cidr | string | undefined {
	if (entry.includes('/')) {
		try {
			const [address, bits] = ipaddr.parseCIDR(entry);
			return [
				address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress()
					? (address as ipaddr.IPv6).toIPv4Address()
					: address,
				bits,
			];
		} catch {
			return undefined;
		}
	}
	const address = canonicalAddress(entry);
	if (address) {
		const parsed = ipaddr.parse(address);
		return [parsed, parsed.kind() === 'ipv4' ? 32 : 128];
	}
	return /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i.test(
		entry,
	)
		? entry.toLowerCase()
		: undefined;
}

function ownAddresses(host: string): Set<string> {
	const bound = canonicalAddress(host);
	// Listening on every address: each interface's address is this server.
	if (host === 'localhost' || bound === undefined || bound === '0.0.0.0' || bound === '::') {
		const all = Object.values(networkInterfaces())
			.flatMap((list) => list ?? [])
			.map((i) => canonicalAddress(i.address));
		return new Set([...all, '127.0.0.1', '::1'].filter((a): a is string => a !== undefined));
	}
	return new Set([bound]);
}

export function createOutboundGuard(policy: OutboundPolicy) {
	const networks: Cidr[] = [];
	const hosts = new Set<string>();
	for (const entry of policy.allowedNetworks) {
		const parsed = parseNetwork(entry);
		if (typeof parsed === 'string') hosts.add(parsed);
		else if (parsed) networks.push(parsed);
	}
	const own = ownAddresses(policy.ownHost);
	const ownPorts = new Set(policy.ownPorts);

	const listed = (address: ipaddr.IPv4 | ipaddr.IPv6) =>
		networks.some(
			([network, bits]) => network.kind() === address.kind() && address.match(network, bits),
		);

	/** Why `address:port` (reached through `host`) is refused, or undefined when it may be reached. */
	function refusal(address: string, port: number, host?: string): string | undefined {
		const canonical = canonicalAddress(address);
		if (!canonical) return 'not an IP address';
		const parsed = ipaddr.parse(canonical);
		const range = parsed.range();
		if (alwaysBlocked.has(range)) return `${range} addresses are never reached`;
		if (metadataAddresses.has(canonical)) return 'a cloud metadata address is never reached';
		if (own.has(canonical) && ownPorts.has(port)) return "the server's own port is never reached";
		if (range === 'unicast') return undefined;
		if (listed(parsed) || (host !== undefined && hosts.has(host.toLowerCase()))) return undefined;
		if (policy.allowLocal && local.has(range)) return undefined;
		return `${range} addresses are reached only when listed in WEBHOOK_ALLOWED_NETWORKS`;
	}

	/** For a URL whose host is an IP address: why it is refused; undefined for host names (checked when resolved). */
	function literalRefusal(url: URL): string | undefined {
		const address = canonicalAddress(url.hostname);
		if (!address) return undefined;
		return refusal(address, Number(url.port || (url.protocol === 'https:' ? 443 : 80)));
	}

	return { refusal, literalRefusal };
}
