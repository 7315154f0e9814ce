import {
	createSubscriptionLimits,
	healthyAnswer,
} from '../../../server/src/webhooks/dispatcher/subscription-limits';

const sub = 'whk_a';

function limitsAfter(
	answers: Array<[latencyMs: number, healthy: boolean, at: number]>,
	max = 32,
	initial = 8,
) {
	const limits = createSubscriptionLimits({ max, initial });
	for (const [latency, healthy, at] of answers) limits.observe(sub, latency, healthy, at);
	return limits.limit(sub);
}

test('when nothing is known of a subscription, then it starts at the initial limit', () => {
	expect(createSubscriptionLimits({ max: 32, initial: 8 }).limit('whk_new')).toBe(8);
});

test('when a receiver keeps answering fast, then its limit grows to the maximum and no further', () => {
	const fast = Array.from({ length: 2_000 }, (_, i): [number, boolean, number] => [5, true, i]);
	expect(limitsAfter(fast.slice(0, 20))).toBeGreaterThan(8);
	expect(limitsAfter(fast)).toBe(32);
});

test.each([
	['answers much slower than its fastest (it queues our requests)', 4_000, true],
	['times out', 10_000, false],
	['answers 429 or 5xx', 20, false],
])('when a receiver %s, then its limit halves', (_case, latency, healthy) => {
	expect(
		limitsAfter([
			[20, true, 0],
			[latency as number, healthy as boolean, 100_000],
		]),
	).toBe(4);
});

test('when a whole window of slow answers arrives at once, then the limit halves once per round trip, not once per answer', () => {
	const window = Array.from({ length: 8 }, (_, i): [number, boolean, number] => [
		4_000,
		true,
		100_000 + i,
	]);
	expect(limitsAfter([[20, true, 0], ...window])).toBe(4);
	expect(limitsAfter([[20, true, 0], ...window, [4_000, true, 104_100]])).toBe(2);
});

test('when a receiver keeps failing, then its limit stays at one', () => {
	const failing = Array.from({ length: 20 }, (_, i): [number, boolean, number] => [
		1_000,
		false,
		i * 10_000,
	]);
	expect(limitsAfter(failing)).toBe(1);
});

test('when a receiver is slow but steady, then slowness alone does not shrink it (the maximum bounds it)', () => {
	const steady = Array.from({ length: 200 }, (_, i): [number, boolean, number] => [
		30_000,
		true,
		i,
	]);
	expect(limitsAfter(steady, 4, 2)).toBe(4);
});

test.each([
	[{ status: 200 }, true],
	[{ status: 404 }, true],
	[{ status: 429 }, false],
	[{ status: 503 }, false],
	[{ error: 'no answer within 10000 ms' }, false],
])('when an attempt ends with %j, then the receiver counts as healthy: %s', (result, healthy) => {
	expect(healthyAnswer(result)).toBe(healthy);
});
