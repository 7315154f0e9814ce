/**
 * How many requests each subscription may have in flight, adapted to its receiver's latency
 * (additive increase, multiplicative decrease, as TCP does for a congestion window):
 *
 * - An answer that arrives about as fast as the fastest this receiver has given recently means it
 *   has spare capacity: the limit grows by 1/limit (about one more slot per round of answers),
 *   up to `max`.
 * - An answer much slower than that (requests queue up inside the receiver, as in an n8n that
 *   runs 14 executions a second however many requests it holds), a timeout, a connection error or
 *   a 429/5xx halves the limit, at most once per round trip, down to 1.
 *
 * `max` (WEBHOOK_SUBSCRIPTION_CONCURRENCY) is below the process's slots, so even a receiver whose
 * every answer is slow but steady (which never looks congested) leaves slots to the others.
 */
export interface SubscriptionLimitOptions {
	/** Most requests in flight to one subscription. */
	max: number;
	/** Where a subscription starts before anything is known about its receiver. */
	initial: number;
}

interface State {
	limit: number;
	/** The fastest recent answer (ms); drifts slowly towards the current latency. */
	baselineMs?: number;
	lastDecreaseAt: number;
}

/** Latency above both bounds counts as congestion: twice the baseline and 250 ms over it. */
const congestionFactor = 2;
const congestionSlackMs = 250;
/** How fast the baseline forgets its minimum (per answer), so a receiver that became slower for good is not punished forever. */
const baselineDrift = 0.01;
const idleForgetMs = 10 * 60_000;

export function createSubscriptionLimits(options: SubscriptionLimitOptions) {
	const states = new Map<string, State & { seenAt: number }>();
	const state = (subscriptionId: string) => {
		let current = states.get(subscriptionId);
		if (!current) {
			if (states.size > 10_000) forgetIdle();
			current = { limit: options.initial, lastDecreaseAt: 0, seenAt: Date.now() };
			states.set(subscriptionId, current);
		}
		current.seenAt = Date.now();
		return current;
	};
	const forgetIdle = () => {
		for (const [id, s] of states) if (Date.now() - s.seenAt > idleForgetMs) states.delete(id);
	};

	return {
		/** The limit of a subscription not seen yet. */
		initial: options.initial,
		/** The whole number of requests this subscription may have in flight now (≥ 1). */
		limit(subscriptionId: string): number {
			return Math.max(1, Math.floor(states.get(subscriptionId)?.limit ?? options.initial));
		},
		/** The limits of subscriptions seen so far (the others start at `initial`). */
		known(): string[] {
			return [...states.keys()];
		},
		/** One attempt ended after `latencyMs`; `healthy` is false for timeouts, connection errors, 429 and 5xx. */
		observe(subscriptionId: string, latencyMs: number, healthy: boolean, now = Date.now()) {
			const s = state(subscriptionId);
			const baseline = s.baselineMs ?? latencyMs;
			const congested =
				!healthy ||
				(latencyMs > baseline * congestionFactor && latencyMs > baseline + congestionSlackMs);
			s.baselineMs = Math.min(latencyMs, baseline + (latencyMs - baseline) * baselineDrift);
			if (!congested) {
				s.limit = Math.min(options.max, s.limit + 1 / s.limit);
			} else if (now - s.lastDecreaseAt >= latencyMs) {
				// Once per round trip: the answers of one full window all report the same congestion.
				s.limit = Math.max(1, s.limit / 2);
				s.lastDecreaseAt = now;
			}
		},
	};
}

export type SubscriptionLimits = ReturnType<typeof createSubscriptionLimits>;

/** Whether an attempt's result says the receiver is healthy (for the limits above). */
export function healthyAnswer(result: { status: number } | { error: string }): boolean {
	return 'status' in result && result.status !== 429 && result.status < 500;
}
