import type { Database } from '../db';
import { applyPendingReports } from '../delivery-reports/store';
import type { MessageInput } from './validate';

/**
 * Stores reported messages in one statement. Idempotent: a (provider, provider message id) that
 * is already stored is skipped, and so is a hold-out row for a recipient already held out in the
 * campaign, so a retried n8n execution records nothing twice. Delivery reports that arrived
 * earlier are applied in the same transaction. Returns how many rows were new.
 */
export async function recordMessages(
	db: Database,
	campaignId: string,
	messages: MessageInput[],
): Promise<number> {
	return db.withTransaction(async (tx) => {
		const { rows } = await tx.query<{ recorded: number }>(
			`WITH input AS (
		   SELECT DISTINCT ON (COALESCE(t.provider || ':' || t.provider_message_id, t.n::text)) t.*
		   FROM jsonb_to_recordset($2::jsonb) AS t(n int, recipient text, variant text, provider text,
		     provider_message_id text, segments int, encoding text, characters int, status text, error text)
		 ), inserted AS (
		   INSERT INTO messages (campaign_id, recipient, variant, provider, provider_message_id, segments, encoding, characters, status, error)
		   SELECT $1, i.recipient, i.variant, i.provider, i.provider_message_id, i.segments, i.encoding, i.characters, i.status, i.error
		   FROM input i
		   WHERE i.status <> 'holdout'
		      OR NOT EXISTS (SELECT 1 FROM messages m WHERE m.campaign_id = $1 AND m.recipient = i.recipient AND m.status = 'holdout')
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
						provider: m.provider,
						provider_message_id: m.providerMessageId,
						segments: m.segments,
						encoding: m.encoding,
						characters: m.characters,
						status: m.status,
						error: m.error,
					})),
				),
			],
		);
		// Delivery reports that beat the report here are applied now.
		await applyPendingReports(tx, campaignId);
		return rows[0].recorded;
	});
}
