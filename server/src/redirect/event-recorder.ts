import { isConnectionError, isPgError, pgErrors, type Queryable } from '../db';
import { insertEvents } from '../events/store';
import type { NewEvent } from '../events/types';
import type { Logger } from '../log';
import type { Spool } from './spool';

/**
 * Group commit for redirect events. Each redirect hands its event to record() and answers once
 * the returned promise resolves, i.e. once the event is committed in PostgreSQL or, when the
 * database cannot be reached, appended and flushed to the local spool. Events that arrive while a
 * batch is being written wait for the next batch, so under load one commit carries many
 * redirects and no redirect waits on a round trip of its own.
 */
export interface EventRecorder {
	record(event: NewEvent): Promise<void>;
	/** Whether the last attempt reached the database (false: events go to the spool). */
	readonly databaseAvailable: boolean;
	/** Moves spooled events into the database; at boot and whenever the database returns. */
	replaySpool(): Promise<number>;
	/** Waits until every recorded event is stored, then stops the retry timer and closes the spool. */
	close(): Promise<void>;
}

export interface RecorderOptions {
	db: Queryable;
	spool: Spool;
	log: Logger;
	batchSize: number;
	commitTimeoutMs: number;
	retryMs: number;
	/** Batches written at once; a second one fills while the first commits. */
	concurrency?: number;
}

interface Pending {
	event: NewEvent;
	resolve(): void;
	reject(err: unknown): void;
}

class CommitTimeout extends Error {}

/** FK or check violations: the event can never be stored (its campaign was deleted meanwhile). */
const isUnstorable = (err: unknown) =>
	isPgError(err, pgErrors.foreignKeyViolation) ||
	isPgError(err, '23514') ||
	isPgError(err, '22P02');

export function createEventRecorder(opts: RecorderOptions): EventRecorder {
	const { db, spool, log } = opts;
	const concurrency = opts.concurrency ?? 2;
	let queue: Pending[] = [];
	let inFlight = 0;
	let available = true;
	let retryTimer: NodeJS.Timeout | undefined;
	let closed = false;
	let lastWarnedAt = 0;
	const idleWaiters: Array<() => void> = [];

	/** Stores a batch; events that can never be stored are dropped one by one, with a log line. */
	async function store(events: NewEvent[]): Promise<void> {
		try {
			await insertEvents(db, events);
		} catch (err) {
			if (isConnectionError(err) || !isUnstorable(err)) throw err;
			if (events.length > 1) {
				for (const event of events) await store([event]);
				return;
			}
			log.warn('event dropped: it can no longer be stored', {
				type: events[0].type,
				campaignId: events[0].campaignId,
				err,
			});
		}
	}

	function storeWithTimeout(events: NewEvent[]): Promise<void> {
		let timer: NodeJS.Timeout | undefined;
		const timeout = new Promise<never>((_, reject) => {
			timer = setTimeout(() => reject(new CommitTimeout('commit timed out')), opts.commitTimeoutMs);
		});
		return Promise.race([store(events), timeout]).finally(() => clearTimeout(timer));
	}

	async function write(batch: Pending[]): Promise<void> {
		const events = batch.map((p) => p.event);
		if (available) {
			try {
				await storeWithTimeout(events);
				for (const p of batch) p.resolve();
				return;
			} catch (err) {
				if (!(err instanceof CommitTimeout) && !isConnectionError(err) && Date.now() - lastWarnedAt > 60_000) {
					log.error('storing events failed; spooling them', { count: events.length, err });
				}
				markUnavailable(err);
			}
		}
		try {
			await spool.append(events);
			for (const p of batch) p.resolve();
		} catch (err) {
			log.error('spooling events failed', { count: events.length, err });
			for (const p of batch) p.reject(err);
		}
	}

	function pump(): void {
		while (inFlight < concurrency && queue.length > 0) {
			const batch = queue.length <= opts.batchSize ? queue : queue.slice(0, opts.batchSize);
			queue = queue.length <= opts.batchSize ? [] : queue.slice(opts.batchSize);
			inFlight++;
			void write(batch).finally(() => {
				inFlight--;
				pump();
				if (inFlight === 0 && queue.length === 0) idleWaiters.splice(0).forEach((wake) => wake());
			});
		}
	}

	function markUnavailable(err: unknown): void {
		// Once a minute at most: a lasting failure is retried every SPOOL_RETRY_MS.
		if (available && Date.now() - lastWarnedAt > 60_000) {
			lastWarnedAt = Date.now();
			log.warn('database unreachable or failing: events go to the local spool until it recovers', { err });
		}
		available = false;
		scheduleRetry();
	}

	function scheduleRetry(): void {
		if (retryTimer || closed) return;
		retryTimer = setTimeout(async () => {
			retryTimer = undefined;
			try {
				await db.query('SELECT 1');
				const wasAvailable = available;
				available = true;
				let replayed = 0;
				// Events spooled while a replay ran are in a newer file: go on until none is left.
				do replayed += await replaySpool();
				while (await spool.hasPending());
				if (!wasAvailable)
					log.info('database reachable again: events are stored directly', { replayed });
			} catch (err) {
				markUnavailable(err);
			}
		}, opts.retryMs);
		retryTimer.unref();
	}

	async function replaySpool(): Promise<number> {
		const replayed = await spool.replay(
			(events) => store(events),
			opts.batchSize,
			(file) =>
				log.warn('spool line cut short (crash during write); its redirect was never answered', {
					file,
				}),
		);
		if (replayed > 0) log.info('spooled events replayed', { replayed });
		return replayed;
	}

	return {
		record(event) {
			return new Promise<void>((resolve, reject) => {
				queue.push({ event, resolve, reject });
				pump();
			});
		},
		get databaseAvailable() {
			return available;
		},
		async replaySpool() {
			try {
				return await replaySpool();
			} catch (err) {
				markUnavailable(err);
				throw err;
			}
		},
		async close() {
			if (inFlight > 0 || queue.length > 0)
				await new Promise<void>((resolve) => idleWaiters.push(resolve));
			closed = true;
			if (retryTimer) clearTimeout(retryTimer);
			retryTimer = undefined;
			await spool.close();
		},
	};
}
