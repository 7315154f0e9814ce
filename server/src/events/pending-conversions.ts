import type { Database, Queryable } from '../db';

/**
 * Conversions waiting for their click (migration 017). The public conversion endpoints keep one
 * here when its click id is not stored yet, instead of holding the request; the statement that
 * stores the click (events/store.ts) claims them with claimPendingSql and stores them as
 * conversion events. Rows past their expiry are never attributed and are dropped.
 */
export interface PendingConversion {
	/** The event key the conversion will be stored under (conversions/store.ts). */
	eventKey: string;
	clickId: string;
	name: string;
	/** numeric text, as validated */
	value: string | null;
	currency: string | null;
	idempotencyKey: string | null;
}

export interface PendingLimits {
	ttlSeconds: number;
	/** Most rows the table holds; a report past it is refused ('full'). */
	maxPending: number;
	/** Most conversions one click may have (CONVERSIONS_PER_CLICK). */
	perClick: number;
}

export type KeepOutcome = 'kept' | 'duplicate' | 'full' | 'limit_reached';

/**
 * The DELETE that claims the pending conversions of the clicks in `clicks` (a relation with
 * click_id, campaign_id, code, recipient, variant, url), returning each with its click's place.
 * Expired rows are claimed too (so they go), and left out by the caller.
 */
export const claimPendingSql = (clicks: string) => `
  DELETE FROM pending_conversions p
  USING ${clicks} k
  WHERE p.click_id = k.click_id
  RETURNING p.event_key, p.name, p.value, p.currency, p.idempotency_key, p.received_at, p.expires_at,
    k.click_id, k.campaign_id, k.code, k.recipient, k.variant, k.url, k.wave`;

/** Drops a bounded batch of expired rows; returns how many. */
export async function dropExpiredPendingConversions(db: Queryable, batch = 1000): Promise<number> {
	const { rowCount } = await db.query(
		`DELETE FROM pending_conversions WHERE ctid IN (
		   SELECT ctid FROM pending_conversions WHERE expires_at <= now() LIMIT $1)`,
		[batch],
	);
	return rowCount;
}

/**
 * Keeps a conversion until its click is stored. The click's count (pending ones) honours the
 * per-click limit, the table's its cap; a report already kept under the same event key is a
 * duplicate. Reports for one click are serialised by an advisory lock on the click id.
 */
export async function keepPendingConversion(
	db: Database,
	conversion: PendingConversion,
	limits: PendingLimits,
): Promise<KeepOutcome> {
	return db.withTransaction(async (tx) => {
		await tx.query(
			`SELECT pg_advisory_xact_lock(hashtextextended('pending_conversion:' || $1, 0))`,
			[conversion.clickId],
		);
		await dropExpiredPendingConversions(tx);
		const { rows } = await tx.query<{ repeat: boolean; for_click: number; total: number }>(
			`SELECT EXISTS (SELECT 1 FROM pending_conversions WHERE event_key = $1) AS repeat,
			        (SELECT count(*)::int FROM pending_conversions WHERE click_id = $2) AS for_click,
			        (SELECT count(*)::int FROM pending_conversions) AS total`,
			[conversion.eventKey, conversion.clickId],
		);
		const { repeat, for_click: forClick, total } = rows[0];
		if (repeat) return 'duplicate';
		if (forClick >= limits.perClick) return 'limit_reached';
		if (total >= limits.maxPending) return 'full';
		await tx.query(
			`INSERT INTO pending_conversions (event_key, click_id, name, value, currency, idempotency_key, expires_at)
			 VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(secs => $7))`,
			[
				conversion.eventKey,
				conversion.clickId,
				conversion.name,
				conversion.value,
				conversion.currency,
				conversion.idempotencyKey,
				limits.ttlSeconds,
			],
		);
		return 'kept';
	});
}
