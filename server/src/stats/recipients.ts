import type { Database } from '../db';
import type { Campaign } from '../campaigns/store';
import { encodeCursor, type RecipientsQuery } from './params';

export interface RecipientRow {
	recipient: string;
	variant: string | null;
	sentAt: string | null;
	delivered: boolean;
	views: number;
	clicks: number;
	conversions: number;
	revenue: number;
	firstClickAt: string | null;
	lastClickAt: string | null;
}

/**
 * Recipients in recipient order from the cursor on; each one's numbers come from index lookups
 * on (campaign, recipient), and the filters apply before LIMIT, so a page costs about `limit`
 * lookups when the filter matches often. Bots never count.
 * $1 campaign, $2 after (exclusive), $3..$5 clicked/viewed/converted, $6 variant, $7 limit + 1, $8 currency.
 */
const recipientsSql = `
SELECT u.recipient,
       coalesce(m.variant, l.variant) AS variant,
       m.sent_at AS "sentAt",
       coalesce(m.delivered, false) OR e.delivered AS delivered,
       e.views, e.clicks, e.conversions, e.revenue,
       e.first_click AS "firstClickAt", e.last_click AS "lastClickAt"
FROM (
  SELECT recipient FROM links WHERE campaign_id = $1 AND ($2::text IS NULL OR recipient > $2::text)
  UNION
  SELECT recipient FROM messages WHERE campaign_id = $1 AND ($2::text IS NULL OR recipient > $2::text)
) u
LEFT JOIN LATERAL (
  SELECT (array_agg(variant ORDER BY sent_at DESC) FILTER (WHERE variant IS NOT NULL))[1] AS variant,
         min(sent_at) FILTER (WHERE status <> 'holdout') AS sent_at,
         bool_or(status = 'delivered') AS delivered
  FROM messages WHERE campaign_id = $1 AND recipient = u.recipient
) m ON true
LEFT JOIN LATERAL (
  SELECT variant FROM links WHERE campaign_id = $1 AND recipient = u.recipient ORDER BY link_index, code LIMIT 1
) l ON true
CROSS JOIN LATERAL (
  SELECT count(*) FILTER (WHERE type = 'view') AS views,
         count(*) FILTER (WHERE type = 'click') AS clicks,
         count(*) FILTER (WHERE type = 'conversion') AS conversions,
         coalesce(sum(conversion_value) FILTER (
           WHERE type = 'conversion' AND (conversion_currency IS NULL OR conversion_currency = $8::text)), 0) AS revenue,
         coalesce(bool_or(type = 'delivered'), false) AS delivered,
         min(occurred_at) FILTER (WHERE type = 'click') AS first_click,
         max(occurred_at) FILTER (WHERE type = 'click') AS last_click
  FROM events WHERE campaign_id = $1 AND recipient = u.recipient AND type <> 'bot'
) e
WHERE ($3::boolean IS NULL OR (e.clicks > 0) = $3)
  AND ($4::boolean IS NULL OR (e.views > 0) = $4)
  AND ($5::boolean IS NULL OR (e.conversions > 0) = $5)
  AND ($6::text IS NULL OR coalesce(m.variant, l.variant) = $6::text)
ORDER BY u.recipient
LIMIT $7`;

interface Row {
	recipient: string;
	variant: string | null;
	sentAt: Date | null;
	delivered: boolean;
	views: string;
	clicks: string;
	conversions: string;
	revenue: string;
	firstClickAt: Date | null;
	lastClickAt: Date | null;
}

export async function listRecipients(
	db: Database,
	campaign: Pick<Campaign, 'id' | 'currency'>,
	query: RecipientsQuery,
): Promise<{ recipients: RecipientRow[]; nextCursor: string | null }> {
	const { rows } = await db.query<Row>(recipientsSql, [
		campaign.id,
		query.after ?? null,
		query.clicked ?? null,
		query.viewed ?? null,
		query.converted ?? null,
		query.variant ?? null,
		query.limit + 1,
		campaign.currency,
	]);
	const page = rows.slice(0, query.limit);
	return {
		recipients: page.map((r) => ({
			recipient: r.recipient,
			variant: r.variant,
			sentAt: r.sentAt?.toISOString() ?? null,
			delivered: r.delivered,
			views: Number(r.views),
			clicks: Number(r.clicks),
			conversions: Number(r.conversions),
			revenue: Number(r.revenue),
			firstClickAt: r.firstClickAt?.toISOString() ?? null,
			lastClickAt: r.lastClickAt?.toISOString() ?? null,
		})),
		nextCursor: rows.length > query.limit ? encodeCursor(page[page.length - 1].recipient) : null,
	};
}
