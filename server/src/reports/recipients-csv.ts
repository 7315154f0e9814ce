import type { StatsQuery } from '../stats/params';
import { deliveredSql, failedSql, segmentWhere, statusSql, variantSql } from '../stats/recipients';
import type { RecipientsQuery } from '../stats/segment';
import { csvLine, numberCell, textCell } from './csv';

export const recipientColumns = [
	'recipient',
	'variant',
	'status',
	'sent_at',
	'delivered',
	'views',
	'clicks',
	'conversions',
	'revenue',
	'first_click_at',
	'first_click_at_local',
	'last_click_at',
	'metadata',
] as const;

const numeric = new Set(['views', 'clicks', 'conversions', 'revenue']);

const utc = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * Every recipient of a segment (the filters of GET …/recipients, without its page), in recipient
 * order, from the per-recipient rollup: the counts are the whole campaign's, as in the API. The
 * time zone ($2 after the segment's parameters) gives the local time of the first click.
 */
export function recipientsCsvSql(
	campaignId: string,
	q: RecipientsQuery,
	range: StatsQuery,
): { text: string; params: unknown[] } {
	const { where, params } = segmentWhere(campaignId, q);
	const zone = `$${params.push(range.timeZone)}::text`;
	return {
		params,
		text: `
SELECT s.recipient, ${variantSql},
       CASE WHEN ${statusSql.holdout} THEN 'holdout' WHEN ${deliveredSql} THEN 'delivered'
            WHEN ${failedSql} THEN 'failed' WHEN ${statusSql.sent} THEN 'sent' END,
       ${utc('s.sent_at')}, (${deliveredSql})::text,
       s.views::text, s.clicks::text, s.conversions::text, s.revenue::text,
       ${utc('s.first_click_at')}, to_char(s.first_click_at AT TIME ZONE ${zone}, 'YYYY-MM-DD HH24:MI:SS'),
       ${utc('s.last_click_at')}, m.metadata::text
FROM stats_recipients s
LEFT JOIN recipient_metadata m ON m.campaign_id = s.campaign_id AND m.recipient = s.recipient
WHERE ${where}
ORDER BY s.recipient`,
	};
}

export const recipientsHeader = csvLine([...recipientColumns]);

export function recipientLine(row: Array<string | null>): string {
	const cells = row.map((value, i) =>
		numeric.has(recipientColumns[i]) ? numberCell(value) : textCell(value),
	);
	return csvLine(cells);
}
