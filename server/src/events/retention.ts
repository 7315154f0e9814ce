import type { Database, Queryable } from '../db';
import { deleteDeliveriesOfEventsBetween } from '../webhooks/deliveries';
import { listEventPartitions } from './partitions';

const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Whether events of the month wait in the rollups' queue (stats_pending, which holds their time). */
async function stillQueued(db: Queryable, from: Date, to: Date): Promise<boolean> {
	const { rows } = await db.query<{ queued: boolean }>(
		'SELECT EXISTS (SELECT 1 FROM stats_pending WHERE occurred_at >= $1 AND occurred_at < $2) AS queued',
		[from, to],
	);
	return rows[0].queued;
}

/** Rolls the drop back: the month's last events are folded first (the folder runs meanwhile). */
class MonthStillQueued extends Error {}

/**
 * EVENTS_RETENTION_DAYS: drops the monthly partitions of events (migration 024) whose whole month
 * lies before now − `days`, never single rows, so old events go without a table-wide DELETE and
 * the bloat it leaves. The campaigns' figures stay: the stats rollups hold them, not the events
 * (docs/operations.md#retention lists what goes and what stays). The default partition is never
 * dropped. Returns the names of the partitions dropped.
 *
 * Per month: first, with nothing locked, its events' webhook deliveries and claimed keys go (the
 * bulk of the work). Then, in a short transaction (it waits at most a few seconds for the table
 * lock, else the next round tries again), the partition is detached and dropped, and what a late
 * event of that month added meanwhile goes too. A month with events still queued for the rollups
 * is left for the next round, so no event leaves before it is counted.
 */
export async function dropExpiredEventPartitions(db: Database, days: number, now = new Date()): Promise<string[]> {
	const cutoff = new Date(now.getTime() - days * 86_400_000);
	const expired = (await listEventPartitions(db)).filter((p) => p.to !== null && p.to <= cutoff);
	const dropped: string[] = [];
	for (const partition of expired) {
		const from = partition.from as Date;
		const to = partition.to as Date;
		if (await stillQueued(db, from, to)) continue;
		await deleteDeliveriesOfEventsBetween(db, from, to);
		await db.query('DELETE FROM event_keys WHERE occurred_at >= $1 AND occurred_at < $2', [from, to]);
		const done = await db.withTransaction(async (tx) => {
			await tx.query(`SET LOCAL lock_timeout = '5s'`);
			await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended('events_partitions', 0))`);
			const { rows: still } = await tx.query('SELECT to_regclass($1) AS oid', [partition.name]);
			if (still[0].oid === null) return false;
			const table = quoted(partition.name);
			await tx.query(`ALTER TABLE events DETACH PARTITION ${table}`);
			// Detached (and locked), the month takes no more events; none of its own may still wait
			// for the fold, which reads them from events.
			if (await stillQueued(tx, from, to)) throw new MonthStillQueued();
			// What still points at the month's rows (a late event's delivery or key) is orphaned now.
			await deleteDeliveriesOfEventsBetween(tx, from, to, { orphansOnly: true });
			await tx.query(
				`DELETE FROM event_keys k WHERE k.occurred_at >= $1 AND k.occurred_at < $2
				   AND NOT EXISTS (SELECT 1 FROM events e WHERE e.id = k.event_id AND e.occurred_at = k.occurred_at)`,
				[from, to],
			);
			await tx.query(`DROP TABLE ${table}`);
			return true;
		}).catch((err) => {
			if (err instanceof MonthStillQueued) return false;
			throw err;
		});
		if (done) dropped.push(partition.name);
	}
	return dropped;
}
