import { isPgError, pgErrors, type Database, type Queryable } from '../db';
import { newClickId, newId } from '../shared/ids';

/** What an erasure removed or pseudonymised (the answer of DELETE /api/v1/recipients/{phone}). */
export interface ErasureResult {
	/** The audit line's id; null when nothing was stored about the number (nothing changed). */
	erasureId: string | null;
	erasedAt: string | null;
	campaigns: number;
	links: number;
	messages: number;
	events: number;
	metadata: number;
	/** Webhook deliveries of the person's events not sent yet: cancelled, never sent. */
	deliveriesCancelled: number;
	/** Whether the number stays on the opt-out list (it does: docs/security.md#erasure). */
	optOutKept: boolean;
}

/**
 * A random stand-in for the number, one per erasure. Not an E.164 number, so lists of recipients
 * (which hold phone numbers only) leave it out and nobody can text it.
 */
const newPseudonym = () => `erased_${newClickId()}`;

/** The campaigns that hold anything about the number, each found through an index of its own. */
const campaignsOfSql = `
SELECT c.id FROM campaigns c
WHERE EXISTS (SELECT 1 FROM stats_recipients s WHERE s.campaign_id = c.id AND s.recipient = $1)
   OR EXISTS (SELECT 1 FROM links l WHERE l.campaign_id = c.id AND l.recipient = $1)
   OR EXISTS (SELECT 1 FROM messages m WHERE m.campaign_id = c.id AND m.recipient = $1)
   OR EXISTS (SELECT 1 FROM events e WHERE e.campaign_id = c.id AND e.recipient = $1)
   OR EXISTS (SELECT 1 FROM recipient_metadata r WHERE r.campaign_id = c.id AND r.recipient = $1)
ORDER BY c.id`;

/**
 * Moves a rollup's rows of the number to the pseudonym, adding them to pseudonym rows the messages
 * trigger has just made (it moved the message counts when the messages were renamed): every
 * counter keeps its total. $1 campaigns, $2 number, $3 pseudonym.
 */
const mergeRecipientsSql = `
WITH gone AS (
  DELETE FROM stats_recipients WHERE campaign_id = ANY($1::text[]) AND recipient = $2 RETURNING *
)
INSERT INTO stats_recipients AS s (campaign_id, recipient, link_variant, message_variant, event_variant,
    messages_charged, messages_delivered, messages_failed, segments, sent_at, views, clicks, conversions, revenue,
    delivered_events, failed_events, first_click_at, last_click_at)
SELECT campaign_id, $3, link_variant, message_variant, event_variant,
    messages_charged, messages_delivered, messages_failed, segments, sent_at, views, clicks, conversions, revenue,
    delivered_events, failed_events, first_click_at, last_click_at
FROM gone
ON CONFLICT (campaign_id, recipient) DO UPDATE SET
  link_variant = coalesce(s.link_variant, excluded.link_variant),
  message_variant = coalesce(s.message_variant, excluded.message_variant),
  event_variant = coalesce(s.event_variant, excluded.event_variant),
  messages_charged = s.messages_charged + excluded.messages_charged,
  messages_delivered = s.messages_delivered + excluded.messages_delivered,
  messages_failed = s.messages_failed + excluded.messages_failed,
  segments = s.segments + excluded.segments,
  sent_at = least(s.sent_at, excluded.sent_at),
  views = s.views + excluded.views,
  clicks = s.clicks + excluded.clicks,
  conversions = s.conversions + excluded.conversions,
  revenue = s.revenue + excluded.revenue,
  delivered_events = s.delivered_events + excluded.delivered_events,
  failed_events = s.failed_events + excluded.failed_events,
  first_click_at = least(s.first_click_at, excluded.first_click_at),
  last_click_at = greatest(s.last_click_at, excluded.last_click_at)`;

const mergeWaveRecipientsSql = `
WITH gone AS (
  DELETE FROM stats_wave_recipients WHERE campaign_id = ANY($1::text[]) AND recipient = $2 RETURNING *
)
INSERT INTO stats_wave_recipients AS s (campaign_id, wave, recipient, first_seen_at, messages_charged,
    messages_delivered, messages_failed, segments, sent_at, views, clicks, conversions, revenue,
    delivered_events, failed_events, first_click_at, last_click_at)
SELECT campaign_id, wave, $3, first_seen_at, messages_charged, messages_delivered, messages_failed, segments,
    sent_at, views, clicks, conversions, revenue, delivered_events, failed_events, first_click_at, last_click_at
FROM gone
ON CONFLICT (campaign_id, wave, recipient) DO UPDATE SET
  first_seen_at = least(s.first_seen_at, excluded.first_seen_at),
  messages_charged = s.messages_charged + excluded.messages_charged,
  messages_delivered = s.messages_delivered + excluded.messages_delivered,
  messages_failed = s.messages_failed + excluded.messages_failed,
  segments = s.segments + excluded.segments,
  sent_at = least(s.sent_at, excluded.sent_at),
  views = s.views + excluded.views,
  clicks = s.clicks + excluded.clicks,
  conversions = s.conversions + excluded.conversions,
  revenue = s.revenue + excluded.revenue,
  delivered_events = s.delivered_events + excluded.delivered_events,
  failed_events = s.failed_events + excluded.failed_events,
  first_click_at = least(s.first_click_at, excluded.first_click_at),
  last_click_at = greatest(s.last_click_at, excluded.last_click_at)`;

/** Statements that take the number out of one table each. $1 campaigns, $2 number, $3 pseudonym. */
const steps = {
	// The message trigger moves the message counts from the number's rollup rows to the pseudonym's.
	messages: `UPDATE messages SET recipient = $3,
	             error = replace(replace(error, $2, $3), substr($2, 2), $3)
	           WHERE campaign_id = ANY($1::text[]) AND recipient = $2`,
	recipients: mergeRecipientsSql,
	waveRecipients: mergeWaveRecipientsSql,
	recipientUrls: `UPDATE stats_recipient_urls SET recipient = $3
	                WHERE campaign_id = ANY($1::text[]) AND recipient = $2`,
	recipientSlots: `UPDATE stats_recipient_slots SET recipient = $3
	                 WHERE recipient = $2 AND campaign_id = ANY($1::text[])`,
	recipientTraits: `UPDATE stats_recipient_traits SET recipient = $3
	                  WHERE campaign_id = ANY($1::text[]) AND recipient = $2`,
	// Conversions waiting for one of the person's clicks would attribute to it later.
	pendingConversions: `DELETE FROM pending_conversions WHERE click_id IN (
	                       SELECT click_id FROM events WHERE campaign_id = ANY($1::text[]) AND recipient = $2
	                       AND type = 'click' AND click_id IS NOT NULL)`,
	// Not sent yet: a workflow would be started for a person who no longer exists here.
	deliveries: `DELETE FROM webhook_deliveries d
	             WHERE d.status = 'pending' AND (d.subscription_id, d.event_id) IN (
	               SELECT s.id, e.id FROM webhook_subscriptions s
	               CROSS JOIN events e WHERE e.campaign_id = ANY($1::text[]) AND e.recipient = $2)`,
	// "First event per recipient" keys name the number (webhooks/outbox.ts).
	firstKeys: `UPDATE webhook_deliveries d SET first_key = replace(d.first_key, $2, $3)
	            WHERE d.first_key IS NOT NULL AND (d.subscription_id, d.first_key) IN (
	              SELECT s.id, t.type || ' ' || c.id || ' ' || $2
	              FROM webhook_subscriptions s
	              CROSS JOIN unnest(ARRAY['click', 'view', 'conversion', 'delivered', 'failed']) AS t(type)
	              CROSS JOIN unnest($1::text[]) AS c(id))`,
	// Conversions' and delivery reports' keys are also claimed in event_keys (migration 024), where a
	// conversion's key would still digest the number: renamed like the events' own (below).
	eventKeys: `UPDATE event_keys k SET event_key = 'erased_' || k.event_id
	            FROM events e WHERE e.id = k.event_id AND e.occurred_at = k.occurred_at
	              AND e.campaign_id = ANY($1::text[]) AND e.recipient = $2`,
	// Raw events stay (time-range stats read them) with the pseudonym and nothing that leads back:
	// no code, click id, user agent, IP hash or IP, idempotency key, and a new event key (a
	// conversion's key digests the number).
	events: `UPDATE events SET recipient = $3, code = NULL, click_id = NULL, user_agent = NULL, ip_hash = NULL,
	           ip = NULL, idempotency_key = NULL, event_key = 'erased_' || id
	         WHERE campaign_id = ANY($1::text[]) AND recipient = $2`,
	// Their codes stop resolving: unknown codes redirect to FALLBACK_URL (or 404) and record nothing.
	links: `DELETE FROM links WHERE campaign_id = ANY($1::text[]) AND recipient = $2`,
	metadata: `DELETE FROM recipient_metadata WHERE campaign_id = ANY($1::text[]) AND recipient = $2`,
} as const;

/**
 * Erases a person (an E.164 number) from every campaign in one transaction (docs/security.md#erasure):
 * links and metadata deleted, messages, raw events and every per-recipient rollup moved to a random
 * pseudonym, so each campaign's figures stay exactly as they were. An audit line without the
 * number records it. The opt-out list keeps the number.
 *
 * The stats queue is locked first (SHARE ROW EXCLUSIVE: no fold and no event insert runs beside
 * the erasure), so no event of the number is folded into its old rollup rows after they moved.
 */
export async function erasePerson(
	db: Database,
	phone: string,
	keyId: string,
): Promise<ErasureResult> {
	// A delivery report for the same person may hold its message while it waits for the stats
	// queue the erasure holds: PostgreSQL then cancels one of the two, and the erasure starts again.
	for (let attempt = 1; ; attempt++) {
		try {
			return await eraseOnce(db, phone, keyId);
		} catch (err) {
			if (attempt >= 3 || !isPgError(err, pgErrors.deadlockDetected)) throw err;
		}
	}
}

async function eraseOnce(db: Database, phone: string, keyId: string): Promise<ErasureResult> {
	return db.withTransaction(async (tx) => {
		await tx.query('LOCK TABLE stats_pending IN SHARE ROW EXCLUSIVE MODE');
		const campaigns = (await tx.query<{ id: string }>(campaignsOfSql, [phone])).rows.map(
			(r) => r.id,
		);
		const optOutKept = await onOptOutList(tx, phone);
		const result: ErasureResult = {
			erasureId: null,
			erasedAt: null,
			campaigns: campaigns.length,
			links: 0,
			messages: 0,
			events: 0,
			metadata: 0,
			deliveriesCancelled: 0,
			optOutKept,
		};
		if (campaigns.length === 0) return result;

		const params = [campaigns, phone, newPseudonym()];
		// statements that only remove pass no pseudonym (PostgreSQL refuses a parameter it cannot type)
		const run = async (sql: string) =>
			(await tx.query(sql, sql.includes('$3') ? params : params.slice(0, 2))).rowCount;
		result.messages = await run(steps.messages);
		await run(steps.recipients);
		await run(steps.waveRecipients);
		await run(steps.recipientUrls);
		await run(steps.recipientSlots);
		await run(steps.recipientTraits);
		await run(steps.pendingConversions);
		result.deliveriesCancelled = await run(steps.deliveries);
		await run(steps.firstKeys);
		await run(steps.eventKeys);
		result.events = await run(steps.events);
		result.links = await run(steps.links);
		result.metadata = await run(steps.metadata);

		const { rows } = await tx.query<{ id: string; erased_at: Date }>(
			`INSERT INTO erasures (id, key_id, campaigns, links, messages, events, metadata, deliveries_cancelled, opt_out_kept)
			 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id, erased_at`,
			[
				newId('era'),
				keyId,
				result.campaigns,
				result.links,
				result.messages,
				result.events,
				result.metadata,
				result.deliveriesCancelled,
				optOutKept,
			],
		);
		result.erasureId = rows[0].id;
		result.erasedAt = rows[0].erased_at.toISOString();
		return result;
	});
}

async function onOptOutList(db: Queryable, phone: string): Promise<boolean> {
	const { rows } = await db.query('SELECT 1 FROM opt_outs WHERE phone = $1', [phone]);
	return rows.length > 0;
}
