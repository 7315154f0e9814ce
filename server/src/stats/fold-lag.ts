import type { Queryable } from '../db';

/**
 * Seconds since the oldest event still queued for the rollups (stats_pending) was stored; 0 when
 * the queue is empty. Event ids grow with insertion, so the oldest queued event is the smallest
 * queued id: one step down stats_pending's primary key, one lookup by events' primary key in the
 * month of the event's time (the queue carries it, so the other months are not read).
 */
export async function foldLagSeconds(db: Queryable): Promise<number> {
	const { rows } = await db.query<{ lag: number | null }>(
		`SELECT GREATEST(0, EXTRACT(EPOCH FROM now() - e.recorded_at))::float8 AS lag
		 FROM events e WHERE (e.id, e.occurred_at) =
		   (SELECT event_id, occurred_at FROM stats_pending ORDER BY event_id LIMIT 1)`,
		[],
		'stats_fold_lag',
	);
	return rows[0]?.lag ?? 0;
}
