import type { Queryable } from '../db';
import type { RecipientMetadata } from './metadata';

/**
 * Stores each recipient's metadata for a campaign (migration 012): one object per campaign and
 * recipient, the latest given replaces the one before. For a recipient given twice in one call,
 * the last entry wins.
 */
export async function storeMetadata(
	db: Queryable,
	campaignId: string,
	entries: Array<{ recipient: string; metadata: RecipientMetadata }>,
): Promise<void> {
	if (entries.length === 0) return;
	const latest = new Map(entries.map((e) => [e.recipient, e.metadata]));
	await db.query(
		`INSERT INTO recipient_metadata AS m (campaign_id, recipient, metadata)
		 SELECT $1::text, r.recipient, r.metadata FROM jsonb_to_recordset($2::jsonb) AS r(recipient text, metadata jsonb)
		 ORDER BY r.recipient
		 ON CONFLICT (campaign_id, recipient) DO UPDATE SET metadata = excluded.metadata, updated_at = now()
		 WHERE m.metadata IS DISTINCT FROM excluded.metadata`,
		[
			campaignId,
			JSON.stringify([...latest].map(([recipient, metadata]) => ({ recipient, metadata }))),
		],
	);
}
