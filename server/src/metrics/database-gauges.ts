import type { Database } from '../db';
import type { Logger } from '../log';
import { foldLagSeconds } from '../stats/fold-lag';
import { outboxBacklog } from '../webhooks/outbox-backlog';
import type { DatabaseGauges } from './sources';

/** Scrapes closer together than this share one reading of the database. */
const minIntervalMs = 1_000;
/** How long a scrape waits for a fresh reading before it answers with the previous one. */
const budgetMs = 25;
/** The first scrape has no previous reading: it waits this long for one. */
const firstReadingMs = 2_000;
/** A reading that takes longer is given up on (the next scrape starts another). */
const timeoutMs = 10_000;

/**
 * The database gauges for a scrape, read by indexed queries (see the metrics bench). A scrape never
 * waits on the database for more than a few milliseconds: when the reading it started is not back
 * within the budget (a large failed backlog to count, a database under load or unreachable), the
 * scrape answers with the previous reading and the new one serves the next scrape. So /metrics
 * stays fast during an outage, and its database gauges are at most a few seconds old.
 */
export function createDatabaseGauges(
	db: Database,
	log: Logger,
): () => Promise<DatabaseGauges | undefined> {
	let last: DatabaseGauges | undefined;
	let startedAt = 0;
	let reading: Promise<void> | undefined;
	let lastWarnedAt = 0;

	const read = async () => {
		let timer: NodeJS.Timeout | undefined;
		const timeout = new Promise<never>((_, reject) => {
			timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
		});
		try {
			const [outbox, foldLag] = await Promise.race([
				Promise.all([outboxBacklog(db), foldLagSeconds(db)]),
				timeout,
			]);
			last = {
				outboxPending: outbox.pending,
				outboxFailed: outbox.failed,
				foldLagSeconds: foldLag,
				readAt: Date.now(),
			};
		} catch (err) {
			if (Date.now() - lastWarnedAt > 60_000) {
				lastWarnedAt = Date.now();
				log.warn('metrics: database gauges could not be read; they keep their last values', {
					err,
				});
			}
		} finally {
			clearTimeout(timer);
		}
	};

	const within = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

	return async () => {
		if (!reading && Date.now() - startedAt >= minIntervalMs) {
			startedAt = Date.now();
			reading = read().finally(() => (reading = undefined));
		}
		if (reading) await Promise.race([reading, within(last ? budgetMs : firstReadingMs)]);
		return last;
	};
}
