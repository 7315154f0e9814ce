import type { StatsQuery } from '../stats/schemas';
import { deliveredSql, failedSql, segmentWhere, statusSql, variantSql } from '../stats/recipients';
import type { RecipientsQuery } from '../stats/segment';
import { csvLine, sqlLocalTime, sqlTextCell, sqlUtcTime } from './csv';

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

/**
 * Every recipient of a segment (the filters and range of GET …/recipients, without its page), in
 * recipient order, with the figures of the range (the whole campaign's without one), as in the
 * API. The time zone (copyCsv's) gives the local time of the first click.
 */
export function recipientsCsvSql(
	campaignId: string,
	q: RecipientsQuery,
	range: Pick<StatsQuery, 'timeZone'>,
): { text: string; params: unknown[]; timeZone: string } {
	const { where, params, figures } = segmentWhere(campaignId, q);
	return {
		params,
		timeZone: range.timeZone,
		text: `
SELECT ${sqlTextCell('s.recipient')}, ${sqlTextCell(variantSql)},
       CASE WHEN ${statusSql.holdout} THEN 'holdout' WHEN ${deliveredSql} THEN 'delivered'
            WHEN ${failedSql} THEN 'failed' WHEN ${statusSql.sent} THEN 'sent' END,
       ${sqlUtcTime('s.sent_at')}, (${deliveredSql})::text,
       f.views, f.clicks, f.conversions, f.revenue,
       ${sqlUtcTime('f.first_click_at')}, ${sqlLocalTime('f.first_click_at')},
       ${sqlUtcTime('f.last_click_at')}, ${sqlTextCell('m.metadata::text')}
FROM stats_recipients s
${figures('s')}
LEFT JOIN recipient_metadata m ON m.campaign_id = s.campaign_id AND m.recipient = s.recipient
WHERE ${where}
ORDER BY s.recipient`,
	};
}
