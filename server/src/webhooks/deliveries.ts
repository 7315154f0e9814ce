import type { Queryable } from '../db';
import { notFound } from '../http/errors';
import { conflict, getSubscription } from './store';
import type { z } from 'zod';
import type { delivery } from './schemas';

/** A delivery as the API shows it (webhooks/schemas.ts). */
export type Delivery = z.output<typeof delivery>;

interface DeliveryRow {
	id: string;
	event_id: string;
	event_type: string;
	status: Delivery['status'];
	attempts: number;
	next_attempt_at: Date;
	last_attempt_at: Date | null;
	last_status: number | null;
	last_error: string | null;
	delivered_at: Date | null;
	created_at: Date;
}

const columns = `d.id, d.event_id::text, e.type AS event_type, d.status, d.attempts, d.next_attempt_at,
  d.last_attempt_at, d.last_status, d.last_error, d.delivered_at, d.created_at`;

function toDelivery(row: DeliveryRow): Delivery {
	return {
		id: row.id,
		eventId: row.event_id,
		eventType: row.event_type,
		status: row.status,
		attempts: row.attempts,
		nextAttemptAt: row.status === 'pending' ? row.next_attempt_at.toISOString() : null,
		lastAttemptAt: row.last_attempt_at?.toISOString() ?? null,
		lastStatus: row.last_status,
		lastError: row.last_error,
		deliveredAt: row.delivered_at?.toISOString() ?? null,
		createdAt: row.created_at.toISOString(),
	};
}

export interface DeliveryFilter {
	status?: Delivery['status'];
	limit: number;
	/** The id of the last delivery of the previous page. */
	cursor?: string;
}

/** Newest first, with keyset pagination on (created_at, id). */
export async function listDeliveries(db: Queryable, subscriptionId: string, filter: DeliveryFilter): Promise<Delivery[]> {
	await getSubscription(db, subscriptionId);
	const { rows } = await db.query<DeliveryRow>(
		`SELECT ${columns}
		 FROM webhook_deliveries d JOIN events e ON e.id = d.event_id AND e.occurred_at = d.event_occurred_at
		 WHERE d.subscription_id = $1
		   AND ($2::text IS NULL OR d.status = $2)
		   AND ($4::text IS NULL OR (d.created_at, d.id) <
		        (SELECT created_at, id FROM webhook_deliveries WHERE id = $4 AND subscription_id = $1))
		 ORDER BY d.created_at DESC, d.id DESC
		 LIMIT $3`,
		[subscriptionId, filter.status ?? null, filter.limit, filter.cursor ?? null],
	);
	return rows.map(toDelivery);
}

/**
 * Queues one more attempt now, whatever the delivery's state (a failed one gets one attempt, a
 * pending one stops waiting for its backoff). Refused while it is in flight or when the
 * subscription was disabled. Dispatchers are woken by NOTIFY.
 */
export async function retryDelivery(db: Queryable, subscriptionId: string, deliveryId: string): Promise<Delivery> {
	const subscription = await getSubscription(db, subscriptionId);
	if (!subscription.active) {
		throw conflict('webhook_disabled', `Webhook ${subscriptionId} was disabled (${subscription.disabledReason ?? 'unknown reason'}); create a new one`);
	}
	const { rows } = await db.query<{ id: string }>(
		`WITH updated AS (
		   UPDATE webhook_deliveries
		   SET status = 'pending', next_attempt_at = now(), delivered_at = NULL
		   WHERE id = $1 AND subscription_id = $2 AND (locked_until IS NULL OR locked_until <= now())
		   RETURNING id
		 )
		 SELECT id, pg_notify('webhook_deliveries', '') FROM updated`,
		[deliveryId, subscriptionId],
	);
	if (rows.length === 0) {
		await getDelivery(db, subscriptionId, deliveryId);
		throw conflict('delivery_in_flight', 'The delivery is being sent right now; try again in a moment');
	}
	return getDelivery(db, subscriptionId, deliveryId);
}

export async function getDelivery(db: Queryable, subscriptionId: string, deliveryId: string): Promise<Delivery> {
	const { rows } = await db.query<DeliveryRow>(
		`SELECT ${columns} FROM webhook_deliveries d JOIN events e ON e.id = d.event_id AND e.occurred_at = d.event_occurred_at
		 WHERE d.id = $1 AND d.subscription_id = $2`,
		[deliveryId, subscriptionId],
	);
	if (!rows[0]) {
		throw notFound(`Delivery ${deliveryId.slice(0, 64)} of webhook ${subscriptionId.slice(0, 64)} does not exist`, 'delivery_not_found');
	}
	return toDelivery(rows[0]);
}

/**
 * Deletes the deliveries of the events that occurred in [from, to) (event retention drops that
 * month of events, events/retention.ts); with orphansOnly, only those whose event is gone.
 */
export async function deleteDeliveriesOfEventsBetween(
	db: Queryable,
	from: Date,
	to: Date,
	opts: { orphansOnly?: boolean } = {},
): Promise<number> {
	const { rowCount } = await db.query(
		`DELETE FROM webhook_deliveries d
		 WHERE d.event_occurred_at >= $1 AND d.event_occurred_at < $2
		   AND (NOT $3::boolean
		        OR NOT EXISTS (SELECT 1 FROM events e WHERE e.id = d.event_id AND e.occurred_at = d.event_occurred_at))`,
		[from, to, Boolean(opts.orphansOnly)],
	);
	return rowCount;
}
