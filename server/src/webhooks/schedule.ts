/** The longest wait a receiver's Retry-After can impose before the next attempt. */
export const maxRetryAfterMs = 24 * 3_600_000;

/**
 * When to try again after a failed attempt, or undefined when the schedule is used up.
 * `attempts` counts the attempts made so far (≥ 1); the delay is the schedule's entry for it with
 * ±20 % jitter, or the receiver's Retry-After when that is longer (capped at a day).
 */
export function nextDelayMs(
	attempts: number,
	schedule: readonly number[],
	retryAfterMs?: number,
	random: () => number = Math.random,
): number | undefined {
	if (attempts > schedule.length) return undefined;
	const base = schedule[attempts - 1];
	const jittered = Math.round(base * (0.8 + 0.4 * random()));
	return Math.max(jittered, Math.min(retryAfterMs ?? 0, maxRetryAfterMs));
}

/** Retry-After as delay-seconds or an HTTP-date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
	if (!value) return undefined;
	const trimmed = value.trim();
	if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
	const at = Date.parse(trimmed);
	if (Number.isNaN(at)) return undefined;
	return Math.max(0, at - now);
}
