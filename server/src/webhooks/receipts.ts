import { isPgError, pgErrors, type Queryable } from '../db';
import { subscriptionNotFound } from './store';

/** How long a receipt is kept: longer than the retry schedule (about 3 days), so every redelivery meets it. */
export const receiptDays = 7;

let lastSweepAt = 0;
const sweepEveryMs = 3_600_000;

/**
 * Records that a subscription's receiver got a delivery (its webhook-id). `duplicate` is true when
 * a receipt for it existed already: the receiver has run it before and drops it. One insert, so
 * two concurrent redeliveries of one id cannot both be first. Expired receipts are deleted here,
 * at most once an hour per process.
 */
export async function recordReceipt(
	db: Queryable,
	subscriptionId: string,
	deliveryId: string,
): Promise<{ deliveryId: string; duplicate: boolean }> {
	if (Date.now() - lastSweepAt > sweepEveryMs) {
		lastSweepAt = Date.now();
		await db.query(
			`DELETE FROM webhook_receipts WHERE received_at < now() - $1 * interval '1 day'`,
			[receiptDays],
		);
	}
	try {
		const { rowCount } = await db.query(
			`INSERT INTO webhook_receipts (subscription_id, delivery_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
			[subscriptionId, deliveryId],
		);
		return { deliveryId, duplicate: rowCount === 0 };
	} catch (err) {
		if (isPgError(err, pgErrors.foreignKeyViolation)) throw subscriptionNotFound(subscriptionId);
		throw err;
	}
}
