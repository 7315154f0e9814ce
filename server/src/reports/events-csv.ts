import type { StatsQuery } from '../stats/schemas';
import { csvLine, sqlTextCell } from './csv';

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
 * the CSV: times as "YYYY-MM-DD HH:MM:SS[.fff]" (what spreadsheets read as a date) in UTC and in
 * the range's time zone. Texts that people or user agents choose are made formula-safe (the check
 * is most of PostgreSQL's work per row, so it is left off where a value cannot start with a formula
 * character: the type, link destinations (http or https URLs), codes, device types, countries and
 * currencies). $1 campaign, $2/$3 the range (null: open), $4 the time zone (checked by parseTimeZone), $5
 * a send wave (null: every wave).
 */
export function eventsCsvSql(campaignId: string, q: StatsQuery): { text: string; params: unknown[] } {
	const text = (column: string) => sqlTextCell(`e.${column}`);
	return {
		params: [campaignId, q.from, q.to, q.timeZone, q.wave ?? null],
		text: `
SELECT e.id, e.type, (e.occurred_at AT TIME ZONE 'UTC')::timestamp(3), (e.occurred_at AT TIME ZONE $4::text)::timestamp(3),
       ${text('recipient')}, ${text('variant')}, ${text('wave')}, e.url, e.code, e.device_type,
       ${text('os')}, ${text('browser')}, e.country, ${text('conversion_name')},
       e.conversion_value, e.conversion_currency
FROM events e
WHERE e.campaign_id = $1
  AND ($2::timestamptz IS NULL OR e.occurred_at >= $2::timestamptz)
  AND ($3::timestamptz IS NULL OR e.occurred_at < $3::timestamptz)
  AND ($5::text IS NULL OR e.wave = $5::text)
ORDER BY e.id`,
	};
}
