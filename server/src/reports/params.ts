import { onlyKnownParams, parseStatsQuery, type Query, type StatsQuery } from '../stats/params';

/**
 * from/to/timeZone of the CSV downloads: the same rules as GET …/stats (from before to, at most
 * 2 years, a known IANA time zone), checked before anything is written. The time zone gives the
 * local time columns beside the UTC ones.
 */
export function parseExportRange(query: Query, others: readonly string[] = []): StatsQuery {
	onlyKnownParams(query, ['from', 'to', 'timeZone', ...others]);
	const { from, to, timeZone } = query;
	return parseStatsQuery(
		Object.fromEntries(Object.entries({ from, to, timeZone }).filter(([, v]) => v !== undefined)),
	);
}

/** The part of a file name that names the range: 2026-11-20_2026-11-27, or "all". */
export const rangeName = (q: StatsQuery) =>
	q.from || q.to
		? `${q.from?.toISOString().slice(0, 10) ?? 'start'}_${q.to?.toISOString().slice(0, 10) ?? 'now'}`
		: 'all';
