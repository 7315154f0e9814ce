import { createAuthThrottle } from '../../../server/src/http/auth-throttle';

const options = {
	freeFailures: 2,
	baseDelayMs: 1_000,
	maxDelayMs: 8_000,
	forgetAfterMs: 60_000,
	maxClients: 3,
};

function throttleAt() {
	const clock = { now: 0 };
	return { clock, throttle: createAuthThrottle(options, () => clock.now) };
}

test('when wrong keys go on, then the wait doubles up to its cap', () => {
	const { throttle } = throttleAt();
	const waits = Array.from({ length: 8 }, () => throttle.fail('198.51.100.7'));
	expect(waits).toEqual([0, 0, 1_000, 2_000, 4_000, 8_000, 8_000, 8_000]);
});

test('when the wait has passed, then the key is checked again, and after a quiet period the client starts afresh', () => {
	const { clock, throttle } = throttleAt();
	for (let i = 0; i < 3; i++) throttle.fail('198.51.100.7');
	expect(throttle.waitMs('198.51.100.7')).toBe(1_000);
	clock.now = 1_000;
	expect(throttle.waitMs('198.51.100.7')).toBe(0);
	expect(throttle.fail('198.51.100.7')).toBe(2_000);
	clock.now = 1_000 + 60_000;
	expect(throttle.fail('198.51.100.7')).toBe(0);
});

test('when more clients fail than are tracked, then the least recent is forgotten and memory stays bounded', () => {
	const { throttle } = throttleAt();
	for (let i = 0; i < 3; i++) throttle.fail('198.51.100.1');
	for (const ip of ['198.51.100.2', '198.51.100.3', '198.51.100.4']) throttle.fail(ip);
	expect(throttle.waitMs('198.51.100.1')).toBe(0);
});
