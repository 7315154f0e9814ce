import type { Database } from '../db';
import type { Campaign } from '../campaigns/types';
import { holdoutVariant } from '../campaigns/types';
import { encodeCursor } from './recipients-cursor';
import type { RecipientStatus, RecipientsQuery } from './segment';
import { eventsInRange, figuresJoin, isRanged } from './recipient-range';
import { foldCampaign } from './rollup-folder';

export interface RecipientRow {
	recipient: string;
	variant: string | null;
	/** holdout, delivered, failed or sent (accepted by the provider); null: no send reported. */
	status: RecipientStatus | null;
	sentAt: string | null;
	delivered: boolean;
	views: number;
	clicks: number;
	conversions: number;
	revenue: number;
	firstClickAt: string | null;
	lastClickAt: string | null;
	/** What Send or Shorten stored for the recipient (the latest given); null: none. */
	metadata: Record<string, unknown> | null;
}

export const variantSql = 'coalesce(s.message_variant, s.link_variant, s.event_variant)';
export const deliveredSql = '(s.messages_delivered > 0 OR s.delivered_events > 0)';
// Implies the predicate of the partial index stats_recipients_failed (migration 012).
export const failedSql = `((s.messages_failed > 0 OR s.failed_events > 0) AND NOT ${deliveredSql})`;
export const statusSql: Record<RecipientStatus, string> = {
	sent: 's.messages_charged > 0',
	delivered: deliveredSql,
	failed: failedSql,
	holdout: `${variantSql} = '${holdoutVariant}'`,
};

/**
 * The WHERE clause of a segment, its parameters ($1 is the campaign) and the join of its figures
 * (figuresJoin). Each filter is a range of an index (docs/stats.md#segments): the traits of
 * migration 012 for what recipients did (PRIMARY KEY campaign, trait, value, recipient), its
 * partial and expression indexes for failed sends, variant and hold-out, events_campaign_type_time
 * for clicks in the last hours. With a range, what recipients did is asked of their events in it
 * (events_campaign_recipient): the traits know no time.
 */
export function segmentWhere(
	campaignId: string,
	q: RecipientsQuery,
): { where: string; params: unknown[]; figures: (row: string) => string } {
	const params: unknown[] = [campaignId];
	const param = (value: unknown) => `$${params.push(value)}`;
	const inRange = isRanged(q) ? eventsInRange(q, param) : null;
	// phone numbers only: not the row of Do-Not-Track hits ('') nor an erased person's pseudonym
	const where = ['s.campaign_id = $1', `s.recipient LIKE '+%'`];
	const ofClicks: Record<string, string> = {
		url: 'e.url',
		deviceType: 'lower(e.device_type)',
		os: 'lower(e.os)',
		country: 'upper(e.country::text)',
	};
	const trait = (name: string, value: string, present: boolean) =>
		where.push(
			`${present ? '' : 'NOT '}EXISTS (${
				inRange === null
					? `SELECT 1 FROM stats_recipient_traits t WHERE t.campaign_id = $1 AND t.trait = '${name}' AND t.value = ${param(value)} AND t.recipient = s.recipient`
					: `SELECT 1 FROM events e WHERE e.campaign_id = $1 AND e.recipient = s.recipient AND ${
							name === 'event' ? `e.type = ${param(value)}` : `e.type = 'click' AND ${ofClicks[name]} = ${param(value)}`
						}${inRange}`
			})`,
		);
	const clickedSince = (hours: number, present: boolean) =>
		where.push(
			`${present ? '' : 'NOT '}EXISTS (SELECT 1 FROM events e WHERE e.campaign_id = $1 AND e.type = 'click' AND e.recipient = s.recipient AND e.occurred_at >= now() - ${param(hours)} * interval '1 hour')`,
		);

	if (q.after !== undefined) where.push(`s.recipient > ${param(q.after)}`);
	if (q.status) where.push(statusSql[q.status]);
	if (q.holdout === 'exclude') where.push(`${variantSql} IS DISTINCT FROM '${holdoutVariant}'`);
	if (q.failed === 'exclude') where.push(`NOT ${failedSql}`);
	if (q.variant !== undefined) where.push(`${variantSql} = ${param(q.variant)}`);
	if (q.clicked !== undefined) trait('event', 'click', q.clicked);
	if (q.viewed !== undefined) trait('event', 'view', q.viewed);
	if (q.converted !== undefined) trait('event', 'conversion', q.converted);
	if (q.url !== undefined) trait('url', q.url, true);
	if (q.deviceType !== undefined) trait('deviceType', q.deviceType, true);
	if (q.os !== undefined) trait('os', q.os, true);
	if (q.country !== undefined) trait('country', q.country, true);
	if (q.clickedWithinHours !== undefined) clickedSince(q.clickedWithinHours, true);
	if (q.notClickedWithinHours !== undefined) clickedSince(q.notClickedWithinHours, false);
	// The per-wave rollup counts accepted sends synchronously (messages trigger, migration 011), so
	// a send recorded a moment ago already counts: re-running a wave's send sends nothing twice.
	if (q.notSentInWave !== undefined)
		where.push(
			`NOT EXISTS (SELECT 1 FROM stats_wave_recipients w WHERE w.campaign_id = $1 AND w.wave = ${param(q.notSentInWave)} AND w.recipient = s.recipient AND w.messages_charged > 0)`,
		);
	return { where: where.join('\n  AND '), params, figures: (row) => figuresJoin(row, inRange) };
}

/**
 * Recipients in recipient order from the cursor on, read from the per-recipient rollup (migration
 * 006; the campaign's queued events are folded first) with the segment's filters applied before
 * LIMIT, then joined with their figures (of the range: counted for the page's recipients only)
 * and metadata. Bots never count.
 */
export function recipientsSql(
	campaignId: string,
	q: RecipientsQuery,
): { text: string; params: unknown[] } {
	const { where, params, figures } = segmentWhere(campaignId, q);
	const limit = `$${params.push(q.limit + 1)}`;
	return {
		params,
		text: `
SELECT p.recipient, p.variant, p.status, p."sentAt", p.delivered,
       f.views, f.clicks, f.conversions, f.revenue,
       f.first_click_at AS "firstClickAt", f.last_click_at AS "lastClickAt", m.metadata
FROM (
  SELECT s.campaign_id, s.recipient,
         ${variantSql} AS variant,
         CASE WHEN ${statusSql.holdout} THEN 'holdout' WHEN ${deliveredSql} THEN 'delivered'
              WHEN ${failedSql} THEN 'failed' WHEN ${statusSql.sent} THEN 'sent' END AS status,
         s.sent_at AS "sentAt", ${deliveredSql} AS delivered,
         s.views, s.clicks, s.conversions, s.revenue, s.first_click_at, s.last_click_at
  FROM stats_recipients s
  WHERE ${where}
  ORDER BY s.recipient
  LIMIT ${limit}
) p
${figures('p')}
LEFT JOIN recipient_metadata m ON m.campaign_id = p.campaign_id AND m.recipient = p.recipient
ORDER BY p.recipient`,
	};
}

/**
 * The recipients of one send wave ($8), from the per-wave rollup (migration 011), with that
 * wave's counts: "did not click the reminder" is about the reminder's link. The variant is the
 * recipient's in the campaign. Parameters: campaign, cursor, clicked, viewed, converted, variant,
 * limit, wave (the other segment filters do not combine with a wave yet: segment.ts refuses them).
 */
const waveRecipientsSql = `
SELECT w.recipient,
       coalesce(r.message_variant, r.link_variant, r.event_variant) AS variant,
       w.sent_at AS "sentAt",
       w.messages_delivered > 0 OR w.delivered_events > 0 AS delivered,
       w.views, w.clicks, w.conversions, w.revenue,
       w.first_click_at AS "firstClickAt", w.last_click_at AS "lastClickAt",
       NULL AS status, m.metadata
FROM stats_wave_recipients w
JOIN stats_recipients r ON r.campaign_id = w.campaign_id AND r.recipient = w.recipient
LEFT JOIN recipient_metadata m ON m.campaign_id = w.campaign_id AND m.recipient = w.recipient
WHERE w.campaign_id = $1 AND w.wave = $8 AND w.recipient LIKE '+%'
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
	status: RecipientStatus | null;
	metadata: Record<string, unknown> | null;
}

export async function listRecipients(
	db: Database,
	campaign: Pick<Campaign, 'id'>,
	query: RecipientsQuery,
): Promise<{ recipients: RecipientRow[]; nextCursor: string | null }> {
	await foldCampaign(db, campaign.id);
	let rows: Row[];
	if (query.wave) {
		const params = [
			campaign.id,
			query.after ?? null,
			query.clicked ?? null,
			query.viewed ?? null,
			query.converted ?? null,
			query.variant ?? null,
			query.limit + 1,
			query.wave,
		];
		rows = (await db.query<Row>(waveRecipientsSql, params)).rows;
	} else {
		const { text, params } = recipientsSql(campaign.id, query);
		rows = (await db.query<Row>(text, params)).rows;
	}
	const page = rows.slice(0, query.limit);
	return {
		recipients: page.map((r) => ({
			recipient: r.recipient,
			variant: r.variant,
			status: r.status,
			sentAt: r.sentAt?.toISOString() ?? null,
			delivered: r.delivered,
			views: Number(r.views),
			clicks: Number(r.clicks),
			conversions: Number(r.conversions),
			revenue: Number(r.revenue),
			firstClickAt: r.firstClickAt?.toISOString() ?? null,
			lastClickAt: r.lastClickAt?.toISOString() ?? null,
			metadata: r.metadata,
		})),
		nextCursor: rows.length > query.limit ? encodeCursor(page[page.length - 1].recipient) : null,
	};
}
