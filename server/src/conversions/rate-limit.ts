import { randomBytes } from 'node:crypto';
import { createIpHasher } from '../shared/ip-hash';

export interface RateLimiter {
	/** Whether one more request from this client fits in the current window. */
	take(ip: string): boolean;
	/** Seconds until the current window ends. */
	retryAfterSeconds(): number;
}

/**
 * Fixed-window counter per client, in process. Clients are keyed by a keyed hash of the IP (the
 * key lives only in memory), so raw addresses are never kept. Memory is bounded: past maxClients
 * distinct clients in one window, newcomers share one overflow counter with a larger budget, so a
 * flood from many addresses is limited as a whole instead of growing the map.
 */
export function createRateLimiter(limit: number, windowMs = 60_000, maxClients = 50_000, now: () => number = Date.now): RateLimiter {
	const hashIp = createIpHasher(randomBytes(32));
	let windowStart = now();
	let counts = new Map<string, number>();
	const overflowKey = '\u0000overflow';

	const roll = () => {
		const time = now();
		if (time - windowStart >= windowMs) {
			windowStart = time - ((time - windowStart) % windowMs);
			counts = new Map();
		}
	};

	return {
		take(ip) {
			roll();
			let key = hashIp(ip);
			let budget = limit;
			if (!counts.has(key) && counts.size >= maxClients) {
				key = overflowKey;
				budget = limit * 10;
			}
			const used = counts.get(key) ?? 0;
			if (used >= budget) return false;
			counts.set(key, used + 1);
			return true;
		},
		retryAfterSeconds() {
			roll();
			return Math.max(1, Math.ceil((windowStart + windowMs - now()) / 1000));
		},
	};
}
