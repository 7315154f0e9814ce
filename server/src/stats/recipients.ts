import type { Database } from '../db';
import type { Campaign } from '../campaigns/types';
import { encodeCursor, type RecipientsQuery } from './params';
import { foldCampaign } from './rollup-folder';

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
 * Recipients in recipient order from the cursor on, read from the per-recipient rollup (migration
 * 006; the campaign's queued events are folded first): the primary key walks the recipients in
 * order and the filters apply before LIMIT, so any page costs a short index range. Bots never
 * count. $1 campaign, $2 after (exclusive), $3..$5 clicked/viewed/converted, $6 variant, $7 limit + 1.
 */
const recipientsSql = `
SELECT recipient,
       coalesce(message_variant, link_variant, event_variant) AS variant,
       sent_at AS "sentAt",
       messages_delivered > 0 OR delivered_events > 0 AS delivered,
       views, clicks, conversions, revenue,
       first_click_at AS "firstClickAt", last_click_at AS "lastClickAt"
FROM stats_recipients
WHERE campaign_id = $1
  AND ($2::text IS NULL OR recipient > $2::text)
  AND ($3::boolean IS NULL OR (clicks > 0) = $3)
  AND ($4::boolean IS NULL OR (views > 0) = $4)
  AND ($5::boolean IS NULL OR (conversions > 0) = $5)
  AND ($6::text IS NULL OR coalesce(message_variant, link_variant, event_variant) = $6::text)
ORDER BY recipient
LIMIT $7`;

/**
 * The recipients of one send wave ($8), from the per-wave rollup (migration 011), with that
 * wave's counts: "did not click the reminder" is about the reminder's link. The variant is the
 * recipient's in the campaign. Same parameters as above.
 */
const waveRecipientsSql = `
SELECT w.recipient,
       coalesce(r.message_variant, r.link_variant, r.event_variant) AS variant,
       w.sent_at AS "sentAt",
       w.messages_delivered > 0 OR w.delivered_events > 0 AS delivered,
       w.views, w.clicks, w.conversions, w.revenue,
       w.first_click_at AS "firstClickAt", w.last_click_at AS "lastClickAt"
FROM stats_wave_recipients w
JOIN stats_recipients r ON r.campaign_id = w.campaign_id AND r.recipient = w.recipient
WHERE w.campaign_id = $1 AND w.wave = $8
  AND ($2::text IS NULL OR w.recipient > $2::text)
  AND ($3::boolean IS NULL OR (w.clicks > 0) = $3)
  AND ($4::boolean IS NULL OR (w.views > 0) = $4)
  AND ($5::boolean IS NULL OR (w.conversions > 0) = $5)
  AND ($6::text IS NULL OR coalesce(r.message_variant, r.link_variant, r.event_variant) = $6::text)
ORDER BY w.recipient
LIMIT $7`;

interface Row {
	recipient: string;
	variant: string | null;
	sentAt: Date | null;
	delivered: boolean;
	views: number;
	clicks: number;
	conversions: number;
	revenue: string;
	firstClickAt: Date | null;
	lastClickAt: Date | null;
}

export async function listRecipients(
	db: Database,
	campaign: Pick<Campaign, 'id'>,
	query: RecipientsQuery,
): Promise<{ recipients: RecipientRow[]; nextCursor: string | null }> {
	await foldCampaign(db, campaign.id);
	const params = [
		campaign.id,
		query.after ?? null,
		query.clicked ?? null,
		query.viewed ?? null,
		query.converted ?? null,
		query.variant ?? null,
		query.limit + 1,
	];
	const { rows } = query.wave
		? await db.query<Row>(waveRecipientsSql, [...params, query.wave])
		: await db.query<Row>(recipientsSql, params);
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
