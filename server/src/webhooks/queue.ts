import type { Database, Queryable } from '../db';
import type { DeliveryRow } from './payload';

/**
 * Claims up to `limit` due deliveries (claim_webhook_deliveries in migration 003: SKIP LOCKED, a
 * lease, the attempt counter as fencing token) and joins what the payload needs. A disabled
 * subscription's pending deliveries are failed when it is disabled; any that slipped in meanwhile
 * are dropped by the join here (their lease runs out and the next claim skips them again).
 */
const claimSql = `
SELECT c.id, c.attempts, c.subscription_id, s.url AS target_url, s.secret,
  e.id::text AS event_id, e.type, e.occurred_at, e.campaign_id,
  COALESCE(e.recipient, l.recipient) AS recipient, COALESCE(e.url, l.destination) AS url, e.code,
  COALESCE(e.variant, l.variant) AS variant, e.click_id, e.device_type, e.os, e.browser,
  e.country::text AS country, e.conversion_name, e.conversion_value::text AS conversion_value,
  e.conversion_currency::text AS conversion_currency
FROM claim_webhook_deliveries($1, $2) c
JOIN webhook_subscriptions s ON s.id = c.subscription_id AND s.disabled_at IS NULL
JOIN events e ON e.id = c.event_id
LEFT JOIN links l ON l.code = e.code`;

export async function claimDue(db: Queryable, limit: number, leaseMs: number): Promise<DeliveryRow[]> {
	return (await db.query<DeliveryRow>(claimSql, [limit, leaseMs])).rows;
}

export async function msUntilNextDue(db: Queryable): Promise<number | undefined> {
	const { rows } = await db.query<{ ms: number | null }>(
		`SELECT (EXTRACT(EPOCH FROM (min(next_attempt_at) - now())) * 1000)::float8 AS ms
		 FROM webhook_deliveries WHERE status = 'pending'`,
	);
	return rows[0]?.ms ?? undefined;
}

export interface AttemptResult {
	id: string;
	/** The attempt counter returned by the claim; a result for an older claim is ignored. */
	attempts: number;
	status: 'pending' | 'delivered' | 'failed';
	lastStatus: number | null;
	lastError: string | null;
	/** For status pending: when to try again, from now. */
	delayMs: number | null;
}

/** Writes many attempt results in one statement; releases their leases. */
export async function recordResults(db: Queryable, results: AttemptResult[]): Promise<void> {
	if (results.length === 0) return;
	await db.query(
		`UPDATE webhook_deliveries d
		 SET status = r.status,
		     last_status = r.last_status,
		     last_error = r.last_error,
		     delivered_at = CASE WHEN r.status = 'delivered' THEN now() END,
		     next_attempt_at = CASE WHEN r.status = 'pending' THEN now() + r.delay_ms * interval '1 millisecond' ELSE d.next_attempt_at END,
		     locked_until = NULL
		 FROM jsonb_to_recordset($1::jsonb) AS r(id text, attempts int, status text, last_status int, last_error text, delay_ms float8)
		 WHERE d.id = r.id AND d.attempts = r.attempts AND d.status = 'pending'`,
		[
			JSON.stringify(
				results.map((r) => ({
					id: r.id,
					attempts: r.attempts,
					status: r.status,
					last_status: r.lastStatus,
					last_error: r.lastError,
					delay_ms: r.delayMs,
				})),
			),
		],
	);
}

/**
 * A receiver answered 410 Gone: it wants no more webhooks. The subscription is disabled and its
 * pending deliveries fail (they stay listed with the reason).
 */
export async function disableSubscriptions(db: Database, ids: string[], reason: string): Promise<void> {
	if (ids.length === 0) return;
	await db.withTransaction(async (tx) => {
		await tx.query(
			`UPDATE webhook_subscriptions SET disabled_at = now(), disabled_reason = $2
			 WHERE id = ANY ($1::text[]) AND disabled_at IS NULL`,
			[ids, reason],
		);
		await tx.query(
			`UPDATE webhook_deliveries SET status = 'failed', last_error = $2, locked_until = NULL
			 WHERE subscription_id = ANY ($1::text[]) AND status = 'pending'`,
			[ids, `not sent: the webhook was disabled (${reason})`],
		);
	});
}

/** Gives back claims that were never attempted (a stopping dispatcher): due now, attempt not counted. */
export async function releaseClaims(db: Queryable, claims: Array<{ id: string; attempts: number }>): Promise<void> {
	if (claims.length === 0) return;
	await db.query(
		`UPDATE webhook_deliveries d
		 SET attempts = d.attempts - 1, locked_until = NULL, next_attempt_at = now(),
		     last_attempt_at = CASE WHEN d.attempts = 1 THEN NULL ELSE d.last_attempt_at END
		 FROM jsonb_to_recordset($1::jsonb) AS r(id text, attempts int)
		 WHERE d.id = r.id AND d.attempts = r.attempts AND d.status = 'pending'`,
		[JSON.stringify(claims)],
	);
}
