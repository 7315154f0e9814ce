import type { Queryable } from '../db';

/**
 * How many deliveries wait (pending: due or scheduled for a retry) and how many were given up on
 * (failed). Both counts read partial indexes (migrations 001 and 018) and never the table's heap
 * beyond its visibility map, so they stay cheap however many delivered rows accumulate.
 */
export async function outboxBacklog(db: Queryable): Promise<{ pending: number; failed: number }> {
	const { rows } = await db.query<{ pending: number; failed: number }>(
		`SELECT (SELECT count(*) FROM webhook_deliveries WHERE status = 'pending')::float8 AS pending,
		        (SELECT count(*) FROM webhook_deliveries WHERE status = 'failed')::float8 AS failed`,
		[],
		'outbox_backlog',
	);
	return rows[0];
}
