import { nextOccurrence } from '../../../nodes/SmsTracking/helpers/next-occurrence';

const at = (iso: string) => new Date(iso);

describe('nextOccurrence: the first time a zone’s clock shows the hour, at or after a moment', () => {
	const cases: Array<[string, number, string, string, string]> = [
		['later the same day', 18, 'Europe/Berlin', '2026-01-15T09:00:00Z', '2026-01-15T17:00:00Z'],
		[
			'the next day when the hour has passed',
			8,
			'Europe/Berlin',
			'2026-01-15T09:00:00Z',
			'2026-01-16T07:00:00Z',
		],
		['exactly at the moment', 10, 'Europe/Berlin', '2026-01-15T09:00:00Z', '2026-01-15T09:00:00Z'],
		['in summer time (UTC+2)', 18, 'Europe/Berlin', '2026-07-01T09:00:00Z', '2026-07-01T16:00:00Z'],
		['UTC', 0, 'UTC', '2026-01-15T00:00:01Z', '2026-01-16T00:00:00Z'],
		[
			'a half-hour zone (India, +05:30)',
			9,
			'Asia/Kolkata',
			'2026-01-15T00:00:00Z',
			'2026-01-15T03:30:00Z',
		],
		[
			'a 45-minute zone (Nepal, +05:45)',
			9,
			'Asia/Kathmandu',
			'2026-01-15T00:00:00Z',
			'2026-01-15T03:15:00Z',
		],
		[
			'west of UTC across the date line of UTC',
			21,
			'America/New_York',
			'2026-01-15T23:00:00Z',
			'2026-01-16T02:00:00Z',
		],
		// Berlin, 2026-03-29: clocks go from 02:00 to 03:00
		[
			'on the spring-forward day, an hour after the change',
			10,
			'Europe/Berlin',
			'2026-03-29T00:00:00Z',
			'2026-03-29T08:00:00Z',
		],
		[
			'on the spring-forward day, the hour that does not exist is the next day’s',
			2,
			'Europe/Berlin',
			'2026-03-28T23:30:00Z',
			'2026-03-30T00:00:00Z',
		],
		// Berlin, 2026-10-25: clocks go from 03:00 back to 02:00, so 02:xx happens twice
		[
			'on the fall-back day, the repeated hour the first time',
			2,
			'Europe/Berlin',
			'2026-10-24T22:00:00Z',
			'2026-10-25T00:00:00Z',
		],
		[
			'on the fall-back day, an hour after the change',
			18,
			'Europe/Berlin',
			'2026-10-25T00:00:00Z',
			'2026-10-25T17:00:00Z',
		],
		// New York, 2026-03-08: 02:00 → 03:00
		[
			'New York’s spring-forward day',
			9,
			'America/New_York',
			'2026-03-08T05:00:00Z',
			'2026-03-08T13:00:00Z',
		],
		[
			'the day before New York’s change',
			9,
			'America/New_York',
			'2026-03-07T05:00:00Z',
			'2026-03-07T14:00:00Z',
		],
	];
	test.each(cases)('%s', (_, hour, zone, notBefore, expected) => {
		expect(nextOccurrence(hour, zone, at(notBefore)).toISOString()).toBe(
			at(expected).toISOString(),
		);
	});
});
