import dns, { type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import type { OutboundGuard } from './outbound-address';

/** A refused address: the error the connection fails with (code EBLOCKED). */
export class BlockedAddress extends Error {
	readonly code = 'EBLOCKED';
}

type Resolve = (hostname: string) => Promise<LookupAddress[]>;

const systemResolve: Resolve = (hostname) =>
	dns.promises.lookup(hostname, { all: true, verbatim: true });

/** Resolution through the given DNS servers (ip or ip:port) instead of the system's resolver. */
export function serverResolve(servers: string[]): Resolve {
	const resolver = new dns.promises.Resolver({ timeout: 2_000, tries: 2 });
	resolver.setServers(servers);
	return async (hostname) => {
		const [v4, v6] = await Promise.allSettled([
			resolver.resolve4(hostname),
			resolver.resolve6(hostname),
		]);
		const found = [
			...(v4.status === 'fulfilled' ? v4.value.map((address) => ({ address, family: 4 })) : []),
			...(v6.status === 'fulfilled' ? v6.value.map((address) => ({ address, family: 6 })) : []),
		];
		if (found.length === 0)
			throw Object.assign(new Error(`${hostname} did not resolve`), { code: 'ENOTFOUND' });
		return found;
	};
}

/**
 * The `lookup` of an outbound connection to `port`: resolves the name once, refuses the
 * connection if ANY of its addresses is refused by the guard, and hands the checked addresses to
 * the socket, which connects to one of them. The address checked is the address connected to, so
 * an answer that changes between a check and the connection (DNS rebinding) cannot pass.
 * (A host that is an IP address never comes here: the caller checks it, see guard.literalRefusal.)
 */
export function guardedLookup(
	guard: OutboundGuard,
	port: number,
	resolve: Resolve = systemResolve,
): LookupFunction {
	return (hostname, options, callback) => {
		resolve(hostname)
			.then((all) => {
				for (const { address } of all) {
					const why = guard.refusal(address, port, hostname);
					if (why) throw new BlockedAddress(`${hostname}: ${why}`);
				}
				const family = typeof options === 'number' ? options : options.family;
				const usable = family === 4 || family === 6 ? all.filter((a) => a.family === family) : all;
				if (usable.length === 0)
					throw Object.assign(new Error(`${hostname} has no IPv${family} address`), {
						code: 'ENOTFOUND',
					});
				if (typeof options === 'object' && options.all)
					(callback as (err: null, all: LookupAddress[]) => void)(null, usable);
				else callback(null, usable[0].address, usable[0].family);
			})
			.catch((err: NodeJS.ErrnoException) => callback(err, '', 0));
	};
}

export type { Resolve };
