import { campaignNotFound } from '../campaigns/store';
import type { Queryable } from '../db';
import { notFound } from '../http/errors';

/** The click a conversion is attributed to: campaign and recipient, the link and the variant. */
export interface ClickPlace {
	campaignId: string;
	recipient: string;
	code: string | null;
	url: string | null;
	variant: string | null;
	wave: string | null;
	clickId: string | null;
}

/** The events columns of a ClickPlace. */
export interface ClickPlaceRow {
	campaign_id: string;
	recipient: string;
	code: string | null;
	url: string | null;
	variant: string | null;
	wave: string | null;
	click_id: string | null;
}

export const toClickPlace = (row: ClickPlaceRow): ClickPlace => ({
	campaignId: row.campaign_id,
	recipient: row.recipient,
	code: row.code,
	url: row.url,
	variant: row.variant,
	wave: row.wave,
	clickId: row.click_id,
});

/** Where a conversion belongs, and the campaign's currency, used when a conversion names none. */
export type Attribution = ClickPlace & { campaignCurrency: string | null };

type AttributionRow = ClickPlaceRow & { currency: string | null };

const toAttribution = (row: AttributionRow): Attribution => ({ ...toClickPlace(row), campaignCurrency: row.currency });

/** The click the redirect recorded under this click id, or undefined. */
export async function findClick(db: Queryable, clickId: string): Promise<Attribution | undefined> {
	const { rows } = await db.query<AttributionRow>(
		`SELECT e.campaign_id, e.recipient, e.code, e.url, e.variant, e.wave, e.click_id, c.currency
		 FROM events e JOIN campaigns c ON c.id = e.campaign_id
		 WHERE e.type = 'click' AND e.click_id = $1 AND e.recipient IS NOT NULL`,
		[clickId],
	);
	return rows[0] ? toAttribution(rows[0]) : undefined;
}

export async function attributeByClick(db: Queryable, clickId: string): Promise<Attribution> {
	const click = await findClick(db, clickId);
	if (!click) throw notFound(`No click with id ${clickId} is recorded`, 'click_not_found');
	return click;
}

/**
 * A conversion reported for a recipient of a campaign: attributed to the recipient's latest click
 * when there is one, else to the recipient's variant and latest wave without a link. A recipient the campaign never
 * had (no link, no message) is an error, not a silent new recipient.
 */
export async function attributeByRecipient(db: Queryable, campaignId: string, recipient: string): Promise<Attribution> {
	const { rows: campaigns } = await db.query<{ currency: string | null }>('SELECT currency FROM campaigns WHERE id = $1', [campaignId]);
	if (!campaigns[0]) throw campaignNotFound(campaignId);
	const currency = campaigns[0].currency;

	const { rows: clicks } = await db.query<AttributionRow>(
		`SELECT campaign_id, recipient, code, url, variant, wave, click_id, $3::text AS currency
		 FROM events
		 WHERE campaign_id = $1 AND recipient = $2 AND type = 'click'
		 ORDER BY occurred_at DESC, id DESC LIMIT 1`,
		[campaignId, recipient, currency],
	);
	if (clicks[0]) return toAttribution(clicks[0]);

	const { rows: known } = await db.query<{ variant: string | null; wave: string }>(
		`(SELECT variant, wave FROM links WHERE campaign_id = $1 AND recipient = $2 ORDER BY created_at DESC, link_index LIMIT 1)
		 UNION ALL
		 (SELECT variant, wave FROM messages WHERE campaign_id = $1 AND recipient = $2 ORDER BY sent_at DESC LIMIT 1)
		 LIMIT 1`,
		[campaignId, recipient],
	);
	if (!known[0]) throw notFound(`Recipient ${recipient} has no link or message in campaign ${campaignId.slice(0, 64)}`, 'recipient_not_found');
	return {
		campaignId,
		recipient,
		code: null,
		url: null,
		variant: known[0].variant,
		wave: known[0].wave,
		clickId: null,
		campaignCurrency: currency,
	};
}
