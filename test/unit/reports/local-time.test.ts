import { localTimeFormatter, utcTimeFormatter } from '../../../server/src/reports/local-time';

const byIntl = (timeZone: string, ms: number) =>
	new Intl.DateTimeFormat('sv-SE', { timeZone, dateStyle: 'short', timeStyle: 'medium' }).format(new Date(ms));

test.each(['Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'UTC'])(
	'when instants around the year (daylight saving changes included) are printed in %s, then each is the wall clock Intl gives',
	(timeZone) => {
		const local = localTimeFormatter(timeZone);
		const wrong: unknown[] = [];
		const start = Date.parse('2026-01-01T00:00:00Z');
		for (let ms = start; ms < start + 366 * 86_400_000; ms += 97 * 60_000 + 13_001) {
			if (local(ms) !== byIntl(timeZone, ms)) wrong.push([ms, local(ms), byIntl(timeZone, ms)]);
		}
		expect(wrong).toEqual([]);
	},
);

test('when instants are printed in UTC, then each reads as Date#toISOString prints it', () => {
	const utc = utcTimeFormatter();
	const wrong: unknown[] = [];
	for (let ms = Date.parse('2025-12-31T23:00:00Z'); ms < Date.parse('2026-03-02T00:00:00Z'); ms += 3_600_000 + 61_007) {
		if (utc(ms) !== new Date(ms).toISOString()) wrong.push([utc(ms), new Date(ms).toISOString()]);
	}
	expect(wrong).toEqual([]);
});
