import type { Database } from '../db';
import type { Logger } from '../log';
import { foldLagSeconds } from '../stats/fold-lag';
import { outboxBacklog } from '../webhooks/outbox-backlog';
import type { DatabaseGauges } from './sources';

/** A scrape waits this long for the database; past it, the gauges keep their last values. */
const timeoutMs = 2_000;

/**
 * Reads the database gauges for one scrape (both queries read indexes only; see the metrics bench).
 * Undefined when the database does not answer in time: a scrape during an outage still answers,
 * with the redirect's and the process's series, instead of failing as a whole.
 */
export function createDatabaseGauges(
	db: Database,
	log: Logger,
): () => Promise<DatabaseGauges | undefined> {
	let lastWarnedAt = 0;
	return async () => {
		let timer: NodeJS.Timeout | undefined;
		const timeout = new Promise<undefined>((resolve) => {
			timer = setTimeout(() => resolve(undefined), timeoutMs);
		});
		const read = Promise.all([outboxBacklog(db), foldLagSeconds(db)]).then(
			([outbox, foldLag]): DatabaseGauges => ({
				outboxPending: outbox.pending,
				outboxFailed: outbox.failed,
				foldLagSeconds: foldLag,
			}),
		);
		try {
			const gauges = await Promise.race([read, timeout]);
			if (!gauges) throw new Error(`the database did not answer within ${timeoutMs} ms`);
			return gauges;
		} catch (err) {
			if (Date.now() - lastWarnedAt > 60_000) {
				lastWarnedAt = Date.now();
				log.warn('metrics: database gauges unavailable; they keep their last values', { err });
			}
			read.catch(() => undefined);
			return undefined;
		} finally {
			clearTimeout(timer);
		}
	};
}
