import type { StatsQuery } from '../stats/params';
import { csvLine, numberCell, textCell } from './csv';

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
 * campaign, $2 time zone, $3/$4 the range (null: open). Read through events_campaign_id
 * (campaign_id, id), so the rows come in id order without a sort.
 */
export function eventsCsvSql(campaignId: string, q: StatsQuery): { text: string; params: unknown[] } {
	return {
		params: [campaignId, q.timeZone, q.from, q.to],
		text: `
SELECT e.id::text, e.type,
       to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
       to_char(e.occurred_at AT TIME ZONE $2::text, 'YYYY-MM-DD HH24:MI:SS'),
       e.recipient, e.variant, e.wave, e.url, e.code, e.device_type, e.os, e.browser, e.country,
       e.conversion_name, e.conversion_value::text, e.conversion_currency
FROM events e
WHERE e.campaign_id = $1
  AND ($3::timestamptz IS NULL OR e.occurred_at >= $3::timestamptz)
  AND ($4::timestamptz IS NULL OR e.occurred_at < $4::timestamptz)
ORDER BY e.id`,
	};
}

export const eventsHeader = csvLine([...eventColumns]);

export function eventLine(row: Array<string | null>): string {
	let line = '';
	for (let i = 0; i < row.length; i++) {
		if (i) line += ',';
		line += numeric.has(eventColumns[i]) ? numberCell(row[i]) : textCell(row[i]);
	}
	return `${line}\r\n`;
}
