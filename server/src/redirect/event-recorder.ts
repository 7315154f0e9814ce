import type { Queryable } from '../db';
import { insertEvents } from '../events/store';
import type { NewEvent } from '../events/types';
import type { Journal } from '../journal';
import type { Logger } from '../log';

/**
 * Where a redirect's event goes before its 302. Normally the click journal: record() resolves
 * once the event is flushed to local disk (group commit), and the journal's loader stores it in
 * PostgreSQL moments later. When the journal cannot be written (disk full, read-only, no
 * permission), the events are committed to PostgreSQL directly, in batches. When neither works the
 * redirect is still answered (a dead link helps nobody), the loss is counted, logged once a
 * minute, and `healthy` turns false so /readyz moves traffic to an instance that can record.
 * record() never rejects.
 */
export interface EventRecorder {
	record(event: NewEvent): Promise<void>;
	/** False for a minute after a click could be recorded nowhere. */
	readonly healthy: boolean;
	/** Clicks answered but recorded nowhere since the process started. */
	readonly clicksUnrecorded: number;
	/** Whether the loader reaches PostgreSQL (false: events wait in the journal). */
	readonly databaseAvailable: boolean;
	/** Resolves once everything recorded so far is in PostgreSQL, or the database is failing. */
	settled(): Promise<void>;
	readonly journal: Journal;
	/** Flushes and loads what it can (within `timeoutMs` while the database fails), then stops. */
	close(timeoutMs?: number): Promise<void>;
}

export interface RecorderOptions {
	db: Queryable;
	journal: Journal;
	log: Logger;
	/** Most events written in one direct commit. */
	batchSize: number;
	commitTimeoutMs: number;
}

interface Pending {
	event: NewEvent;
	resolve(): void;
}

const unhealthyForMs = 60_000;

export function createEventRecorder(opts: RecorderOptions): EventRecorder {
	const { db, journal, log } = opts;
	let direct: Pending[] = [];
	let committing = false;
	let unrecorded = 0;
	let lastUnrecordedAt = 0;
	let lastJournalWarnAt = 0;
	let lastLossWarnAt = 0;
	const idleWaiters: Array<() => void> = [];

	function commitWithTimeout(events: NewEvent[]): Promise<unknown> {
		let timer: NodeJS.Timeout | undefined;
		const timeout = new Promise<never>((_, reject) => {
			timer = setTimeout(() => reject(new Error('commit timed out')), opts.commitTimeoutMs);
		});
		return Promise.race([insertEvents(db, events), timeout]).finally(() => clearTimeout(timer));
	}

	async function commitDirectly(): Promise<void> {
		committing = true;
		while (direct.length > 0) {
			const batch = direct.slice(0, opts.batchSize);
			direct = direct.slice(batch.length);
			try {
				await commitWithTimeout(batch.map((p) => p.event));
			} catch (err) {
				unrecorded += batch.length;
				lastUnrecordedAt = Date.now();
				if (Date.now() - lastLossWarnAt > 60_000) {
					lastLossWarnAt = Date.now();
					log.error(
						'clicks answered but not recorded: neither the journal nor PostgreSQL takes them',
						{
							clicksUnrecorded: unrecorded,
							err,
						},
					);
				}
			}
			for (const p of batch) p.resolve();
		}
		committing = false;
		idleWaiters.splice(0).forEach((wake) => wake());
	}

	return {
		journal,
		record(event) {
			return new Promise<void>((resolve) => {
				journal.append([event]).then(resolve, (err) => {
					if (Date.now() - lastJournalWarnAt > 60_000) {
						lastJournalWarnAt = Date.now();
						log.error(
							'the click journal cannot be written: clicks are committed to PostgreSQL directly',
							{
								dir: journal.dir,
								err,
							},
						);
					}
					direct.push({ event, resolve });
					if (!committing) void commitDirectly();
				});
			});
		},
		get healthy() {
			return Date.now() - lastUnrecordedAt > unhealthyForMs;
		},
		get clicksUnrecorded() {
			return unrecorded;
		},
		get databaseAvailable() {
			return !journal.databaseFailing;
		},
		settled: () => journal.settled(),
		async close(timeoutMs = 5_000) {
			if (committing) await new Promise<void>((resolve) => idleWaiters.push(resolve));
			await journal.close(timeoutMs);
		},
	};
}
