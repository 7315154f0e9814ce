import type { StatsQuery } from '../stats/params';
import { csvLine, numberCell, textCell } from './csv';
import { localTimeFormatter, utcTimeFormatter } from './local-time';

export const eventColumns = [
	'id',
	'type',
	'occurred_at',
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

/** Which columns are numbers (written as they are); the rest are text cells. */
const numeric = new Set(['id', 'conversion_value']);

/**
 * A campaign's events in [from, to) in the order they were stored, every column as text. $1
 * campaign, $2/$3 the range (null: open). The time comes as milliseconds since the epoch and is
 * printed by eventLines: to_char with AT TIME ZONE costs PostgreSQL more than the rest of the row.
 */
export function eventsCsvSql(campaignId: string, q: StatsQuery): { text: string; params: unknown[] } {
	return {
		params: [campaignId, q.from, q.to],
		text: `
SELECT e.id::text, e.type, floor(extract(epoch FROM e.occurred_at) * 1000)::bigint::text,
       e.recipient, e.variant, e.wave, e.url, e.code, e.device_type, e.os, e.browser, e.country,
       e.conversion_name, e.conversion_value::text, e.conversion_currency
FROM events e
WHERE e.campaign_id = $1
  AND ($2::timestamptz IS NULL OR e.occurred_at >= $2::timestamptz)
  AND ($3::timestamptz IS NULL OR e.occurred_at < $3::timestamptz)
ORDER BY e.id`,
	};
}

export const eventsHeader = csvLine([...eventColumns]);

/** The CSV line of a row of eventsCsvSql, times printed in UTC and in the range's time zone. */
export function eventLines(timeZone: string): (row: Array<string | null>) => string {
	const local = localTimeFormatter(timeZone);
	const utc = utcTimeFormatter();
	return (row) => {
		const ms = Number(row[2]);
		let line = `${row[0]},${textCell(row[1])},${utc(ms)},${local(ms)}`;
		for (let i = 3; i < row.length; i++) {
			line += ',';
			line += numeric.has(eventColumns[i + 1]) ? numberCell(row[i]) : textCell(row[i]);
		}
		return `${line}\r\n`;
	};
}
