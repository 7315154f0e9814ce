import { randomBytes } from 'node:crypto';
import { rateLimitKey } from '../shared/client-address';
import { createIpHasher } from '../shared/ip-hash';
import { Lru } from '../shared/lru';

export interface RateLimiter {
	/** Whether one more request from this client fits in its current window. */
	take(ip: string): boolean;
	/** Seconds until this client's current window ends. */
	retryAfterSeconds(ip: string): number;
}

interface Window {
	start: number;
	used: number;
}

/**
 * Fixed-window counter per client, in process. A client is an IPv4 address or an IPv6 /64
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
	const hashIp = createIpHasher(randomBytes(32));
	const windows = new Lru<string, Window>(maxClients);

	const windowOf = (ip: string): Window => {
		const key = hashIp(rateLimitKey(ip));
		const time = now();
		let window = windows.get(key);
		if (!window || time - window.start >= windowMs) {
			window = { start: time, used: 0 };
			windows.set(key, window);
		}
		return window;
	};

	return {
		take(ip) {
			const window = windowOf(ip);
			if (window.used >= limit) return false;
			window.used++;
			return true;
		},
		retryAfterSeconds(ip) {
			const window = windowOf(ip);
			return Math.max(1, Math.ceil((window.start + windowMs - now()) / 1000));
		},
	};
}
