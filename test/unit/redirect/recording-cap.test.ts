import { createRecordingCap } from '../../../server/src/redirect/recording-cap';

describe('recording cap per code and client', () => {
	test('when one client opens one code more often than the cap within a minute, then only the cap is admitted and the rest is counted as capped', () => {
		const cap = createRecordingCap(3, { now: () => 0 });
		const admitted = Array.from({ length: 10 }, () => cap.admit('203.0.113.7', 'Ab3dE7xQ'));
		expect(admitted.filter(Boolean)).toHaveLength(3);
		expect(cap.capped).toBe(7);
	});

	test('when the capped client opens another code, or another client the same code, then each has its own budget', () => {
		const cap = createRecordingCap(1, { now: () => 0 });
		expect(cap.admit('203.0.113.7', 'Ab3dE7xQ')).toBe(true);
		expect(cap.admit('203.0.113.7', 'Ab3dE7xQ')).toBe(false);
		expect(cap.admit('203.0.113.7', 'Zz9Zz9Zz')).toBe(true);
		expect(cap.admit('203.0.113.8', 'Ab3dE7xQ')).toBe(true);
		expect(cap.capped).toBe(1);
	});

	test('when a client rotates through addresses of one IPv6 /64, then they share one budget', () => {
		const cap = createRecordingCap(2, { now: () => 0 });
		const admitted = ['2001:db8:1:2::1', '2001:db8:1:2::2', '2001:db8:1:2:ffff::9'].map((ip) =>
			cap.admit(ip, 'Ab3dE7xQ'),
		);
		expect(admitted).toEqual([true, true, false]);
		expect(cap.admit('2001:db8:1:3::1', 'Ab3dE7xQ')).toBe(true);
	});

	test('when the minute is over, then the client is recorded again', () => {
		let now = 0;
		const cap = createRecordingCap(1, { now: () => now });
		expect([cap.admit('203.0.113.7', 'Ab3dE7xQ'), cap.admit('203.0.113.7', 'Ab3dE7xQ')]).toEqual([
			true,
			false,
		]);
		now += 60_000;
		expect(cap.admit('203.0.113.7', 'Ab3dE7xQ')).toBe(true);
	});

	test('when many more code and client pairs arrive than it holds, then memory stays bounded and the active pair keeps its count', () => {
		const cap = createRecordingCap(1, { maxKeys: 10, now: () => 0 });
		expect(cap.admit('203.0.113.7', 'Ab3dE7xQ')).toBe(true);
		for (let i = 0; i < 1000; i++) {
			cap.admit(`198.51.100.${i % 250}`, `code${i}`);
			// The looping pair stays among the most recent, so its count is not forgotten.
			expect(cap.admit('203.0.113.7', 'Ab3dE7xQ')).toBe(false);
		}
	});

	test('when the cap is 0, then every hit is recorded', () => {
		const cap = createRecordingCap(0);
		expect(
			Array.from({ length: 100 }, () => cap.admit('203.0.113.7', 'Ab3dE7xQ')).every(Boolean),
		).toBe(true);
		expect(cap.capped).toBe(0);
	});
});
