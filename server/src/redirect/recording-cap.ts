import { createRateLimiter } from '../shared/rate-limit';

/**
 * How many hits on one short code from one client (an IPv4 address or an IPv6 /64) are recorded
 * per minute. A loop on one link (a broken client, a reload script, a scanner) would otherwise
 * store an event and start the subscribed workflows for every request. Hits past the cap still
 * redirect; they are only not recorded, and counted.
 */
export interface RecordingCap {
	/** Whether this hit is recorded; false counts it as capped. */
	admit(ip: string, code: string): boolean;
	/** Hits redirected without being recorded since the process started. */
	readonly capped: number;
}

/** perMinute 0: every hit is recorded. maxKeys bounds the memory (least recently seen forgotten). */
export function createRecordingCap(
	perMinute: number,
	opts: { maxKeys?: number; now?: () => number } = {},
): RecordingCap {
	if (perMinute === 0) return { admit: () => true, capped: 0 };
	const limiter = createRateLimiter(perMinute, 60_000, opts.maxKeys ?? 100_000, opts.now);
	let capped = 0;
	return {
		admit(ip, code) {
			if (limiter.take(ip, code)) return true;
			capped++;
			return false;
		},
		get capped() {
			return capped;
		},
	};
}
