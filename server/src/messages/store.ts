import type { Queryable } from '../db';
import type { MessageInput } from './report';

/** How a provider's delivery report ends a message's journey. */
export type DeliveryOutcome = 'delivered' | 'failed';

/** A message a delivery outcome was applied to, with what its events need. */
export interface MessageOutcome {
	campaign_id: string;
	recipient: string;
	variant: string | null;
	wave: string;
	provider: string;
	provider_message_id: string;
	outcome: DeliveryOutcome;
	occurred_at: Date;
}

/**
 * Stores reported messages in one statement. Idempotent: a (provider, provider message id) that
 * is already stored is skipped, and so is a hold-out row for a recipient already held out in the
 * campaign's wave, so a retried n8n execution records nothing twice. With `oncePerRecipient`, a message
 * without a provider message id is skipped when the campaign already has one without an id for the
 * recipient, provider and wave (sends reported from another node that gave no id). Returns how many rows
 * were new.
 */
export async function recordMessages(
	tx: Queryable,
	campaignId: string,
	messages: MessageInput[],
	oncePerRecipient = false,
): Promise<number> {
	// Two reports of the same send at once would both find no row without the lock; the second
	// statement runs after the first commits, so it sees the row.
	if (oncePerRecipient)
		await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`messages-once:${campaignId}`]);
	const { rows } = await tx.query<{ recorded: number }>(
		`WITH input AS (
		   SELECT DISTINCT ON (COALESCE(t.provider || ':' || t.provider_message_id,
		     CASE WHEN $3 AND t.status <> 'holdout' THEN 'once:' || COALESCE(t.provider, '') || ':' || t.recipient || ':' || COALESCE(t.wave, '') END,
		     t.n::text)) t.*
		   FROM jsonb_to_recordset($2::jsonb) AS t(n int, recipient text, variant text, wave text, provider text,
		     provider_message_id text, segments int, encoding text, characters int, status text, error text)
		 ), inserted AS (
		   INSERT INTO messages (campaign_id, recipient, variant, wave, provider, provider_message_id, segments, encoding, characters, status, error)
		   SELECT $1, i.recipient, i.variant, i.wave, i.provider, i.provider_message_id, i.segments, i.encoding, i.characters, i.status, i.error
		   FROM input i
		   WHERE (i.status <> 'holdout'
		      OR NOT EXISTS (SELECT 1 FROM messages m
		                     WHERE m.campaign_id = $1 AND m.recipient = i.recipient AND m.wave = i.wave AND m.status = 'holdout'))
		     AND (NOT $3 OR i.status = 'holdout' OR i.provider_message_id IS NOT NULL
		      OR NOT EXISTS (SELECT 1 FROM messages m WHERE m.campaign_id = $1 AND m.recipient = i.recipient AND m.wave = i.wave
		        AND m.provider IS NOT DISTINCT FROM i.provider AND m.provider_message_id IS NULL AND m.status <> 'holdout'))
		   ON CONFLICT (provider, provider_message_id) WHERE provider_message_id IS NOT NULL DO NOTHING
		   RETURNING 1
		 )
		 SELECT count(*)::int AS recorded FROM inserted`,
		[
			campaignId,
			JSON.stringify(
				messages.map((m, n) => ({
					n,
					recipient: m.recipient,
					variant: m.variant,
					wave: m.wave,
					provider: m.provider,
					provider_message_id: m.providerMessageId,
					segments: m.segments,
					encoding: m.encoding,
					characters: m.characters,
					status: m.status,
					error: m.error,
				})),
			),
			oncePerRecipient,
		],
	);
	return rows[0].recorded;
}

/**
 * Sets the outcome of the message a provider reported on (a delivered message is never turned
 * back into failed by a late report; hold-outs were never sent). Returns the message when it
 * changed, none when it is unknown or already final.
 */
export async function setMessageOutcome(
	tx: Queryable,
	report: {
		provider: string;
		providerMessageId: string;
		outcome: DeliveryOutcome;
		occurredAt: Date;
		error: string | null;
	},
): Promise<MessageOutcome[]> {
	const { rows } = await tx.query<MessageOutcome>(
		`UPDATE messages SET status = $3, status_at = $4, error = COALESCE($5, error)
		 WHERE provider = $1 AND provider_message_id = $2 AND status <> 'holdout'
		   AND NOT (status = 'delivered' AND $3 = 'failed')
		 RETURNING campaign_id, recipient, variant, wave, provider, provider_message_id, $3::text AS outcome, $4::timestamptz AS occurred_at`,
		[report.provider, report.providerMessageId, report.outcome, report.occurredAt, report.error],
	);
	return rows;
}

/**
 * Applies outcomes kept for messages by id. A message with several outcomes takes the delivered
 * one if any, else the latest.
 */
export async function applyKeptOutcomes(
	tx: Queryable,
	outcomes: Array<{
		id: string;
		outcome: DeliveryOutcome;
		occurred_at: Date;
		error: string | null;
	}>,
): Promise<void> {
	if (outcomes.length === 0) return;
	await tx.query(
		`WITH latest AS (
		   SELECT DISTINCT ON (id) *
		   FROM jsonb_to_recordset($1::jsonb) AS t(id bigint, outcome text, occurred_at timestamptz, error text)
		   ORDER BY id, (outcome = 'delivered') DESC, occurred_at DESC
		 )
		 UPDATE messages m SET status = l.outcome, status_at = l.occurred_at, error = COALESCE(l.error, m.error)
		 FROM latest l WHERE m.id = l.id`,
		[
			JSON.stringify(
				outcomes.map((o) => ({
					id: o.id,
					outcome: o.outcome,
					occurred_at: o.occurred_at,
					error: o.error,
				})),
			),
		],
	);
}
