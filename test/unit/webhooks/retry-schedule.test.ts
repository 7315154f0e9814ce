import { defaultWebhookRetrySchedule, parseDurations } from '../../../server/src/config';
import { outcome } from '../../../server/src/webhooks/dispatcher';
import { maxRetryAfterMs, nextDelayMs, parseRetryAfter } from '../../../server/src/webhooks/schedule';

const schedule = parseDurations('WEBHOOK_RETRY_SCHEDULE', defaultWebhookRetrySchedule);

test('when the default schedule is read, then it has 10 attempts over about three days (Standard Webhooks)', () => {
	expect(schedule).toEqual([5e3, 3e5, 18e5, 72e5, 18e6, 36e6, 504e5, 72e6, 864e5]);
	const hours = schedule.reduce((a, b) => a + b, 0) / 3_600_000;
	expect(hours).toBeGreaterThan(72);
	expect(hours).toBeLessThan(80);
});

test.each([
	['5s,5m', [5_000, 300_000]],
	['250ms, 1.5s ,2h,1d', [250, 1_500, 7_200_000, 86_400_000]],
	['100', [100]],
])('when the schedule is "%s", then the delays are %j ms', (raw, expected) => {
	expect(parseDurations('X', raw)).toEqual(expected);
});

test.each(['5 sec', '-5s', 's', '5s,,5m'])('when the schedule is "%s", then it is refused', (raw) => {
	expect(() => parseDurations('X', raw)).toThrow(/durations/);
});

test.each([
	// attempts made, random, retry-after → delay
	[1, 0.5, undefined, 5_000],
	[1, 0, undefined, 4_000], // −20 % jitter
	[1, 1, undefined, 6_000], // +20 % jitter
	[2, 0.5, undefined, 300_000],
	[9, 0.5, undefined, 86_400_000],
	[10, 0.5, undefined, undefined], // the tenth attempt was the last
	[1, 0.5, 60_000, 60_000], // Retry-After longer than the backoff wins
	[2, 0.5, 60_000, 300_000], // shorter one does not shorten the backoff
	[1, 0.5, 10 * 86_400_000, maxRetryAfterMs], // capped at a day
])('when %i attempt(s) failed (random %d, Retry-After %p ms), then the next waits %p ms', (attempts, random, retryAfter, expected) => {
	expect(nextDelayMs(attempts, schedule, retryAfter, () => random)).toBe(expected);
});

test.each([
	['120', 120_000],
	['0', 0],
	['Wed, 21 Oct 2015 07:28:00 GMT', 60_000],
	['in a while', undefined],
	[undefined, undefined],
])('when Retry-After is %p, then it means %p ms', (value, expected) => {
	expect(parseRetryAfter(value, Date.parse('Wed, 21 Oct 2015 07:27:00 GMT'))).toBe(expected);
});

test.each([
	[{ status: 200 }, 'delivered'],
	[{ status: 299 }, 'delivered'],
	[{ status: 301 }, 'pending'], // redirects are not followed: a failed attempt
	[{ status: 404 }, 'pending'],
	[{ status: 429, retryAfter: '30' }, 'pending'],
	[{ status: 500 }, 'pending'],
	[{ status: 410 }, 'failed'],
	[{ error: 'connection refused' }, 'pending'],
])('when an attempt ends with %j, then the delivery is %s', (result, status) => {
	expect(outcome({ id: 'msg_1', attempts: 1 }, result, schedule).status).toBe(status);
});

test('when the last attempt fails, then the delivery fails and says how many attempts were made', () => {
	const result = outcome({ id: 'msg_1', attempts: 10 }, { status: 503 }, schedule);
	expect(result).toMatchObject({ status: 'failed', lastStatus: 503, delayMs: null });
	expect(result.lastError).toBe('http_status: the receiver answered HTTP 503; gave up after 10 attempts');
});
