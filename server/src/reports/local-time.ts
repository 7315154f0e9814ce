const dayMs = 86_400_000;
const quarterMs = 900_000;
const two = (n: number) => (n < 10 ? `0${n}` : `${n}`);
const three = (n: number) => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);

/**
 * "YYYY-MM-DD HH:MM:SS" (sep " ") or ISO 8601 with milliseconds (sep "T", "Z" appended by the
 * caller) of a wall-clock time in milliseconds. The date part is kept per day: a million rows
 * build a few hundred Date objects, not a million (toISOString per row is most of an export's time).
 */
function wallClock(withMs: boolean): (wall: number) => string {
	let day = NaN;
	let date = '';
	return (wall) => {
		const d = Math.floor(wall / dayMs);
		if (d !== day) {
			day = d;
			date = new Date(d * dayMs).toISOString().slice(0, 10) + (withMs ? 'T' : ' ');
		}
		const rest = wall - d * dayMs;
		const time = `${two(Math.floor(rest / 3_600_000))}:${two(Math.floor(rest / 60_000) % 60)}:${two(Math.floor(rest / 1000) % 60)}`;
		return withMs ? `${date}${time}.${three(rest % 1000)}Z` : `${date}${time}`;
	};
}

/**
 * Formats instants (milliseconds since the epoch) for CSV cells as the wall clock of one IANA
 * time zone, "YYYY-MM-DD HH:MM:SS". The zone's offset is asked of Intl once per 15 minutes of time
 * covered (offsets change on the hour, half or quarter hour, and only a few times a year), so a
 * million rows cost a few thousand Intl calls, not a million.
 */
export function localTimeFormatter(timeZone: string): (ms: number) => string {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone,
		hourCycle: 'h23',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit',
	});
	const offsets = new Map<number, number>();
	const offsetAt = (ms: number): number => {
		const quarter = Math.floor(ms / quarterMs);
		let offset = offsets.get(quarter);
		if (offset === undefined) {
			const p = Object.fromEntries(parts.formatToParts(new Date(quarter * quarterMs)).map((x) => [x.type, x.value]));
			const wall = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
			offset = wall - quarter * quarterMs;
			if (offsets.size > 100_000) offsets.clear();
			offsets.set(quarter, offset);
		}
		return offset;
	};
	const print = wallClock(false);
	return (ms) => print(ms + offsetAt(ms));
}

/** ISO 8601 in UTC with milliseconds, as Date#toISOString prints it (years 0000–9999). */
export function utcTimeFormatter(): (ms: number) => string {
	return wallClock(true);
}
