import type { Database } from '../../db';
import type { Logger } from '../../log';
import { disableSubscriptions, recordResults, type AttemptResult } from '../queue';

const flushEvery = 200;
const flushAfterMs = 5;

/**
 * Attempt results are buffered and written in batches: one UPDATE per flush instead of one per
 * delivery. `written` is told which deliveries are settled (written, or given up on while stopping)
 * so the lease keeper stops renewing them.
 */
export function createResultWriter(
	db: Database,
	log: Logger,
	isRunning: () => boolean,
	written: (ids: string[]) => void,
) {
	let buffer: AttemptResult[] = [];
	let gone = new Set<string>();
	let flushing: Promise<void> = Promise.resolve();
	let flushTimer: NodeJS.Timeout | undefined;

	const write = async (results: AttemptResult[], disable: string[]) => {
		for (let attempt = 0; ; attempt++) {
			try {
				await recordResults(db, results);
				await disableSubscriptions(db, disable, 'the receiver answered 410 Gone');
				return;
			} catch (err) {
				// Keep retrying while running: an unwritten result only means the lease expires and
				// the delivery is sent again (at least once), so never give up silently.
				log.warn('could not record webhook results', { err, count: results.length, attempt });
				if (!isRunning() && attempt >= 2) return;
				await new Promise((r) => setTimeout(r, Math.min(5_000, 200 * 2 ** attempt)));
			}
		}
	};

	const flush = (): Promise<void> => {
		if (flushTimer) clearTimeout(flushTimer);
		flushTimer = undefined;
		flushing = flushing.then(async () => {
			const results = buffer;
			const disable = [...gone];
			buffer = [];
			gone = new Set();
			await write(results, disable);
			written(results.map((result) => result.id));
		});
		return flushing;
	};

	return {
		/** Queues one result; `goneSubscription` when the receiver answered 410 Gone. */
		record(result: AttemptResult, goneSubscription?: string) {
			if (goneSubscription) gone.add(goneSubscription);
			buffer.push(result);
			if (buffer.length >= flushEvery) void flush();
			else flushTimer ??= setTimeout(() => void flush(), flushAfterMs);
		},
		flush,
	};
}

export type ResultWriter = ReturnType<typeof createResultWriter>;
