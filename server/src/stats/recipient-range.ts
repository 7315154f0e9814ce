import type { RecipientsQuery } from './segment';

/** Whether a segment asks about a range of time rather than the whole campaign. */
export const isRanged = (q: Pick<RecipientsQuery, 'from' | 'to'>) =>
	q.from !== null || q.to !== null;

/**
 * The condition on a recipient's events `e` in the range (empty for the whole campaign), its
 * bounds added to the statement's parameters by `param`.
 */
export function eventsInRange(
	q: Pick<RecipientsQuery, 'from' | 'to'>,
	param: (value: unknown) => string,
): string {
	return [
		q.from ? ` AND e.occurred_at >= ${param(q.from)}::timestamptz` : '',
		q.to ? ` AND e.occurred_at < ${param(q.to)}::timestamptz` : '',
	].join('');
}

/**
 * A LATERAL join giving the figures of the recipient `row` (a stats_recipients row or one with its
 * columns) as f.views, f.clicks, f.conversions, f.revenue, f.first_click_at, f.last_click_at: the
 * rollup's for the whole campaign, or counted from the recipient's events in the range (through
 * events_campaign_recipient) exactly as the fold counts them: bots never, revenue in the
 * campaign's currency or without one. $1 is the campaign.
 */
export function figuresJoin(row: string, inRange: string | null): string {
	if (inRange === null)
		return `CROSS JOIN LATERAL (SELECT ${row}.views, ${row}.clicks, ${row}.conversions, ${row}.revenue,
                           ${row}.first_click_at, ${row}.last_click_at) f`;
	return `CROSS JOIN LATERAL (
  SELECT count(*) FILTER (WHERE e.type = 'view') AS views,
         count(*) FILTER (WHERE e.type = 'click') AS clicks,
         count(*) FILTER (WHERE e.type = 'conversion') AS conversions,
         coalesce(sum(e.conversion_value) FILTER (WHERE e.type = 'conversion' AND (e.conversion_currency IS NULL
           OR e.conversion_currency = (SELECT c.currency FROM campaigns c WHERE c.id = $1))), 0) AS revenue,
         min(e.occurred_at) FILTER (WHERE e.type = 'click') AS first_click_at,
         max(e.occurred_at) FILTER (WHERE e.type = 'click') AS last_click_at
  FROM events e
  WHERE e.campaign_id = $1 AND e.recipient = ${row}.recipient AND e.type IN ('view', 'click', 'conversion')${inRange}
) f`;
}
