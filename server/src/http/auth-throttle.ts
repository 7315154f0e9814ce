import { randomBytes } from 'node:crypto';
import { rateLimitKey } from '../shared/client-address';
import { createIpHasher } from '../shared/ip-hash';
import { Lru } from '../shared/lru';

export interface AuthThrottleOptions {
	/** Wrong keys a client may present before it is slowed down (typos, a rotated key). */
	freeFailures: number;
	/** The first wait; each further wrong key doubles it. */
	baseDelayMs: number;
	maxDelayMs: number;
	/** A client with no wrong key for this long starts afresh. */
	forgetAfterMs: number;
	/** Most clients tracked; past it the least recently seen is forgotten. */
	maxClients: number;
}

export const defaultAuthThrottle: AuthThrottleOptions = {
	freeFailures: 5,
	baseDelayMs: 1_000,
	maxDelayMs: 5 * 60_000,
	forgetAfterMs: 15 * 60_000,
	maxClients: 10_000,
};

interface Failures {
	count: number;
	last: number;
	blockedUntil: number;
}

/**
 * Slows down guessing of API keys per client: after a few wrong keys, a client must wait before
 * its next attempt, and the wait doubles with each wrong key. An attempt made while waiting is
 * refused without looking at the key and counts as one more wrong key, so hammering only makes
 * the wait longer. A correct key does not reset the count (a holder of one key could otherwise
 * interleave it to keep guessing another); the count is forgotten after a quiet period.
 * Clients are keyed like the conversion rate limit (an IPv6 /64 is one client), by a keyed hash
 * that lives only in memory; memory is bounded by maxClients.
 */
export function createAuthThrottle(
	options: AuthThrottleOptions = defaultAuthThrottle,
	now: () => number = Date.now,
) {
	const hashIp = createIpHasher(randomBytes(32));
	const clients = new Lru<string, Failures>(options.maxClients);
	const keyOf = (ip: string) => hashIp(rateLimitKey(ip));

	const current = (key: string, time: number): Failures | undefined => {
		const entry = clients.get(key);
		if (entry && time - entry.last >= options.forgetAfterMs && time >= entry.blockedUntil) {
			clients.delete(key);
			return undefined;
		}
		return entry;
	};

	return {
		/** Milliseconds this client must still wait before a key is checked (0: check it now). */
		waitMs(ip: string): number {
			const time = now();
			const entry = current(keyOf(ip), time);
			return entry ? Math.max(0, entry.blockedUntil - time) : 0;
		},
		/** Counts a wrong key (or an attempt while waiting); returns the wait it earned (ms). */
		fail(ip: string): number {
			const key = keyOf(ip);
			const time = now();
			const entry = current(key, time) ?? { count: 0, last: time, blockedUntil: 0 };
			entry.count++;
			entry.last = time;
			const over = entry.count - options.freeFailures;
			const delay =
				over <= 0
					? 0
					: Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.min(over - 1, 30));
			entry.blockedUntil = time + delay;
			clients.set(key, entry);
			return delay;
		},
	};
}

export type AuthThrottle = ReturnType<typeof createAuthThrottle>;
