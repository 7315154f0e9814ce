import type { StatsQuery } from '../stats/schemas';
import { deliveredSql, failedSql, segmentWhere, statusSql, variantSql } from '../stats/recipients';
import type { RecipientsQuery } from '../stats/segment';
import { csvLine, sqlTextCell } from './csv';

export const recipientColumns = [
	'recipient',
	'variant',
	'status',
	'sent_at_utc',
	'delivered',
	'views',
	'clicks',
	'conversions',
	'revenue',
	'first_click_at_utc',
	'first_click_at_local',
	'last_click_at_utc',
	'metadata',
] as const;

export const recipientsHeader = csvLine([...recipientColumns]);

const utc = (column: string) => `(${column} AT TIME ZONE 'UTC')::timestamp(3)`;

/**
 * Every recipient of a segment (the filters and range of GET …/recipients, without its page), in
 * recipient order, with the figures of the range (the whole campaign's without one), as in the
 * API. The time zone (the parameter after the segment's) gives the local time of the first click.
 */
export function recipientsCsvSql(
	campaignId: string,
	q: RecipientsQuery,
	range: Pick<StatsQuery, 'timeZone'>,
): { text: string; params: unknown[] } {
	const { where, params, figures } = segmentWhere(campaignId, q);
	const zone = `$${params.push(range.timeZone)}::text`;
	return {
		params,
		text: `
SELECT ${sqlTextCell('s.recipient')}, ${sqlTextCell(variantSql)},
       CASE WHEN ${statusSql.holdout} THEN 'holdout' WHEN ${deliveredSql} THEN 'delivered'
            WHEN ${failedSql} THEN 'failed' WHEN ${statusSql.sent} THEN 'sent' END,
       ${utc('s.sent_at')}, (${deliveredSql})::text,
       f.views, f.clicks, f.conversions, f.revenue,
       ${utc('f.first_click_at')}, (f.first_click_at AT TIME ZONE ${zone})::timestamp(3),
       ${utc('f.last_click_at')}, ${sqlTextCell('m.metadata::text')}
FROM stats_recipients s
${figures('s')}
LEFT JOIN recipient_metadata m ON m.campaign_id = s.campaign_id AND m.recipient = s.recipient
WHERE ${where}
ORDER BY s.recipient`,
	};
}
