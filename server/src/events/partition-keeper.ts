import type { Database, Queryable } from '../db';
import type { Logger } from '../log';
import { ensureEventPartitions } from './partitions';
import { dropExpiredEventPartitions } from './retention';

/** How often the keeper looks again (partitions, retention). */
const keeperIntervalMs = 3_600_000;

/** Events in the default partition: none while every month has its partition. */
async function eventsInDefaultPartition(db: Queryable): Promise<number> {
	const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM events_default');
	return rows[0].n;
}

/**
 * At start and then hourly: partitions ahead, and with a retention, the months past it dropped
 * (events/retention.ts). Returns its stopper.
 */
export function startEventPartitionKeeper(
	db: Database,
	log: Logger,
	opts: { retentionDays: number | null; intervalMs?: number },
): () => Promise<void> {
	let stopped = false;
	let timer: NodeJS.Timeout | undefined;
	let running: Promise<void> = Promise.resolve();

	const tick = () => {
		running = (async () => {
			try {
				const created = await ensureEventPartitions(db);
				if (created.length) log.info('event partitions created', { partitions: created });
				const strays = await eventsInDefaultPartition(db);
				if (strays > 0) {
					log.warn('events outside every monthly partition are kept in events_default', { events: strays });
				}
				if (opts.retentionDays !== null) {
					const dropped = await dropExpiredEventPartitions(db, opts.retentionDays);
					if (dropped.length) log.info('event partitions past the retention dropped', { partitions: dropped });
				}
			} catch (err) {
				log.warn('keeping the event partitions failed; retrying', { err });
			}
			if (!stopped) timer = setTimeout(tick, opts.intervalMs ?? keeperIntervalMs);
		})();
	};
	tick();

	return async () => {
		stopped = true;
		clearTimeout(timer);
		await running;
	};
}
