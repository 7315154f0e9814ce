import type { Database, Queryable } from '../db';

/**
 * Events are partitioned by month of occurred_at, UTC (migration 024). The server keeps the
 * current month's partition and the next ones ready, so events never wait for one; a month
 * without a partition lands in events_default (docs/operations.md#event-partitions).
 */
export const monthsAhead = 3;

/** A partition of events and its range [from, to); the default partition has neither. */
export interface EventPartition {
	name: string;
	from: Date | null;
	to: Date | null;
}

/** The partitions of events, oldest first, the default partition first of all. */
export async function listEventPartitions(db: Queryable): Promise<EventPartition[]> {
	// The bounds come back as text in the session's time zone, with its offset: cast in SQL.
	const { rows } = await db.query<EventPartition>(
		`SELECT c.relname AS name, b[1]::timestamptz AS "from", b[2]::timestamptz AS "to"
		 FROM pg_inherits i
		 JOIN pg_class c ON c.oid = i.inhrelid
		 LEFT JOIN LATERAL regexp_match(pg_get_expr(c.relpartbound, c.oid), 'FROM \\(''([^'']+)''\\) TO \\(''([^'']+)''\\)') AS b ON true
		 WHERE i.inhparent = 'events'::regclass
		 ORDER BY b[1]::timestamptz NULLS FIRST`,
	);
	return rows;
}

/**
 * Creates the partitions of the current month and the `monthsAhead` next ones that are missing;
 * returns their names. Each in its own short transaction: creating a partition locks the whole
 * events table, so it gives up after a few seconds rather than hold up every insert behind a long
 * read, and the next round tries again. Safe with several servers (events_create_month_partition
 * takes an advisory lock and creates only what is missing).
 */
export async function ensureEventPartitions(db: Database, now = new Date()): Promise<string[]> {
	const created: string[] = [];
	for (let ahead = 0; ahead <= monthsAhead; ahead++) {
		const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + ahead, 1));
		const made = await db.withTransaction(async (tx) => {
			await tx.query(`SET LOCAL lock_timeout = '5s'`);
			const { rows } = await tx.query<{ created: boolean }>(
				'SELECT events_create_month_partition($1) AS created',
				[month],
			);
			return rows[0].created;
		});
		if (made) created.push(`events_${month.toISOString().slice(0, 7).replace('-', '_')}`);
	}
	return created;
}
