import { hash, randomBytes } from 'node:crypto';
import { rateLimitKey } from './client-address';
import { Lru } from './lru';

export interface RateLimiter {
	/**
	 * Whether one more request from this client fits in its current window. `scope` counts the
	 * client separately per thing it asks for (e.g. per short code); absent: one count per client.
	 */
	take(ip: string, scope?: string): boolean;
	/** Seconds until this client's current window ends. */
	retryAfterSeconds(ip: string, scope?: string): number;
}

interface Window {
	start: number;
	used: number;
}

/**
 * Fixed-window counter per client (or per client and scope), in process. A client is an IPv4 address or an IPv6 /64
 * (rateLimitKey), kept as a keyed hash (the key lives only in memory), so raw addresses are never
 * kept. Memory is bounded: past maxClients clients the least recently seen one is forgotten. A
 * flood from many addresses thus only forgets the quietest clients' counts (they start afresh);
 * it never makes real visitors share a budget with it.
 */
export function createRateLimiter(
	limit: number,
	windowMs = 60_000,
	maxClients = 50_000,
	now: () => number = Date.now,
): RateLimiter {
	// A secret-prefixed one-shot SHA-256, not the stored IP hash's HMAC: the key never leaves this
	// process, and the redirect takes one per hit (about a third of an HMAC's cost).
	const secret = randomBytes(32).toString('base64');
	const hashIp = (key: string) => hash('sha256', secret + key, 'base64');
	const windows = new Lru<string, Window>(maxClients);

	const windowOf = (ip: string, scope: string | undefined): Window => {
		const hashed = hashIp(rateLimitKey(ip));
		const key = scope === undefined ? hashed : `${scope} ${hashed}`;
		const time = now();
		let window = windows.get(key);
		if (!window || time - window.start >= windowMs) {
			window = { start: time, used: 0 };
			windows.set(key, window);
		}
		return window;
	};

	return {
		take(ip, scope) {
			const window = windowOf(ip, scope);
			if (window.used >= limit) return false;
			window.used++;
			return true;
		},
		retryAfterSeconds(ip, scope) {
			const window = windowOf(ip, scope);
			return Math.max(1, Math.ceil((window.start + windowMs - now()) / 1000));
		},
	};
}
