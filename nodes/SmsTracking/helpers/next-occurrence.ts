const quarterHour = 15 * 60 * 1000;
/** Two days and an hour: every hour of the day occurs at least once in any such span. */
const searchSpan = 49 * 4;

const formatters = new Map<string, Intl.DateTimeFormat>();

function wallClock(at: Date, timeZone: string): { hour: number; minute: number } {
	let format = formatters.get(timeZone);
	if (!format) {
		format = new Intl.DateTimeFormat('en-GB', {
			timeZone,
			hour: '2-digit',
			minute: '2-digit',
			hourCycle: 'h23',
		});
		formatters.set(timeZone, format);
	}
	const parts = format.formatToParts(at);
	const value = (type: string) => Number(parts.find((p) => p.type === type)?.value);
	return { hour: value('hour'), minute: value('minute') };
}

/** Whether the runtime knows this IANA time zone. */
export function isTimeZone(timeZone: string): boolean {
	try {
		new Intl.DateTimeFormat('en-GB', { timeZone });
		return true;
	} catch {
		return false;
	}
}

/**
 * The first instant at or after `notBefore` when the clock in `timeZone` shows `hour`:00.
 * Every zone's offset is a multiple of 15 minutes, so it is searched on quarter hours (UTC). On
 * the day clocks go forward an hour that does not exist there (02:00 in Europe/Berlin) is
 * skipped: the answer is the next day's. On the day they go back, an hour that occurs twice is
 * taken the first time.
 */
export function nextOccurrence(hour: number, timeZone: string, notBefore: Date): Date {
	let at = Math.ceil(notBefore.getTime() / quarterHour) * quarterHour;
	for (let step = 0; step <= searchSpan; step++, at += quarterHour) {
		const clock = wallClock(new Date(at), timeZone);
		if (clock.hour === hour && clock.minute === 0) return new Date(at);
	}
	throw new Error(`${hour}:00 does not occur in ${timeZone} within two days`);
}
