import type { Database, Queryable } from '../db';
import { winnerReportColumn } from '../events/list';
import type { DeliveryRow } from './payload';

/**
 * What the payload needs for claimed deliveries. A disabled subscription's pending deliveries are
 * failed when it is disabled; any that slipped in meanwhile are dropped by the join here (their
 * lease runs out and the next claim skips them again).
 */
const payloadSql = `
SELECT c.id, c.attempts, d.subscription_id, s.url AS target_url, s.secret,
  CASE WHEN s.previous_secret_until > now() THEN s.previous_secret END AS previous_secret,
  e.id::text AS event_id, e.type, e.occurred_at, e.campaign_id,
  COALESCE(e.recipient, l.recipient) AS recipient, COALESCE(e.url, l.destination) AS url, e.code,
  COALESCE(e.variant, l.variant) AS variant, COALESCE(e.wave, l.wave) AS wave, e.click_id, e.device_type, e.os, e.browser,
  e.country::text AS country, e.conversion_name, e.conversion_value::text AS conversion_value,
  e.conversion_currency::text AS conversion_currency, k.name AS campaign_name, m.metadata AS recipient_metadata,
  ${winnerReportColumn('e', 'k')}
FROM unnest($1::text[], $2::int[]) AS c(id, attempts)
JOIN webhook_deliveries d ON d.id = c.id
JOIN webhook_subscriptions s ON s.id = d.subscription_id AND s.disabled_at IS NULL
JOIN events e ON e.id = d.event_id AND e.occurred_at = d.event_occurred_at
JOIN campaigns k ON k.id = e.campaign_id
LEFT JOIN links l ON l.code = e.code
LEFT JOIN recipient_metadata m ON m.campaign_id = e.campaign_id AND m.recipient = COALESCE(e.recipient, l.recipient)`;

export interface ClaimRequest {
	limit: number;
	leaseMs: number;
	/** Room left per subscription id; subscriptions not listed get defaultRoom. */
	rooms: Record<string, number>;
	defaultRoom: number;
}

/**
 * Claims up to `limit` due deliveries, at most `rooms[subscription]` (else `defaultRoom`) of each
 * subscription (claim_webhook_deliveries_per_subscription in migration 008: SKIP LOCKED, a lease,
 * the attempt counter as fencing token), then reads what their payloads need.
 * Two statements on purpose: the claim function is volatile, so it sees deliveries committed after
 * the statement that calls it began; a join in that same statement would not see their events
 * and would drop freshly claimed rows (claimed, never sent, counted as an attempt).
 */
export async function claimDue(db: Queryable, claim: ClaimRequest): Promise<DeliveryRow[]> {
	const params = [claim.limit, claim.leaseMs, JSON.stringify(claim.rooms), claim.defaultRoom];
	const { rows: claimed } = await db.query<{ id: string; attempts: number }>(
		'SELECT id, attempts FROM claim_webhook_deliveries_per_subscription($1, $2, $3, $4)',
		params,
	);
	if (claimed.length === 0) return [];
	const ids = claimed.map((row) => row.id);
	const attempts = claimed.map((row) => row.attempts);
	return (await db.query<DeliveryRow>(payloadSql, [ids, attempts])).rows;
}

/** When the next delivery of an active subscription outside `skip` comes due (≤ 0: due now). */
export async function msUntilNextDue(db: Queryable, skip: string[] = []): Promise<number | undefined> {
	const { rows } = await db.query<{ ms: number | null }>(
		`SELECT (EXTRACT(EPOCH FROM (min(d.next_attempt_at) - now())) * 1000)::float8 AS ms
		 FROM webhook_subscriptions s
		 CROSS JOIN LATERAL (
		   SELECT next_attempt_at FROM webhook_deliveries
		   WHERE subscription_id = s.id AND status = 'pending'
		   ORDER BY next_attempt_at LIMIT 1
		 ) d
		 WHERE s.disabled_at IS NULL AND NOT (s.id = ANY ($1::text[]))`,
		[skip],
	);
	return rows[0]?.ms ?? undefined;
}

/**
 * Pushes the lease of claims this process still holds (queued, in flight, result not yet written)
 * to `leaseMs` from now. Returns the ids whose lease was extended; a missing id was finished,
 * disabled or (its lease having run out) claimed again elsewhere. A row whose result or release
 * was written meanwhile (locked_until cleared) is left alone: renewing it would move its retry
 * time back to the lease's end and send it again then.
 */
export async function extendLeases(db: Queryable, claims: Array<{ id: string; attempts: number }>, leaseMs: number): Promise<Set<string>> {
	if (claims.length === 0) return new Set();
	const { rows } = await db.query<{ id: string }>(
		`UPDATE webhook_deliveries d
		 SET locked_until = now() + $2 * interval '1 millisecond', next_attempt_at = now() + $2 * interval '1 millisecond'
		 FROM jsonb_to_recordset($1::jsonb) AS r(id text, attempts int)
		 WHERE d.id = r.id AND d.attempts = r.attempts AND d.status = 'pending' AND d.locked_until IS NOT NULL
		 RETURNING d.id`,
		[JSON.stringify(claims), leaseMs],
	);
	return new Set(rows.map((row) => row.id));
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
