import type { StatsQuery } from '../stats/schemas';
import { csvLine, sqlLocalTime, sqlTextCell, sqlUtcTime } from './csv';

export const eventColumns = [
	'id',
	'type',
	'occurred_at_utc',
	'occurred_at_local',
	'recipient',
	'variant',
	'wave',
	'url',
	'code',
	'device_type',
	'os',
	'browser',
	'country',
	'conversion_name',
	'conversion_value',
	'conversion_currency',
] as const;

export const eventsHeader = csvLine([...eventColumns]);

/**
 * A campaign's events in [from, to) in the order they were stored, as PostgreSQL writes them into
 * the CSV: times in UTC and in the range's time zone (copyCsv's timeZone). Texts that people or
 * user agents choose are made formula-safe (the check is most of PostgreSQL's work per row, so it
 * is left off where a value cannot start with a formula character: the type, link destinations
 * (http or https URLs), codes, device types, countries and currencies). $1 campaign, $2/$3 the
 * range (null: open), $4 a send wave (null: every wave). A range reads only its months' partitions:
 * COPY takes no parameters, so the bounds are constants the planner prunes by.
 */
export function eventsCsvSql(
	campaignId: string,
	q: StatsQuery,
): { text: string; params: unknown[]; timeZone: string } {
	const text = (column: string) => sqlTextCell(`e.${column}`);
	return {
		params: [campaignId, q.from, q.to, q.wave ?? null],
		timeZone: q.timeZone,
		text: `
SELECT e.id, e.type, ${sqlUtcTime('e.occurred_at')}, ${sqlLocalTime('e.occurred_at')},
       ${text('recipient')}, ${text('variant')}, ${text('wave')}, e.url, e.code, e.device_type,
       ${text('os')}, ${text('browser')}, e.country, ${text('conversion_name')},
       e.conversion_value, e.conversion_currency
FROM events e
WHERE e.campaign_id = $1
  AND ($2::timestamptz IS NULL OR e.occurred_at >= $2::timestamptz)
  AND ($3::timestamptz IS NULL OR e.occurred_at < $3::timestamptz)
  AND ($4::text IS NULL OR e.wave = $4::text)
ORDER BY e.id`,
	};
}
