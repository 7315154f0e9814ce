import type { Database } from '../db';
import { dropExpiredPendingConversions } from '../events/pending-conversions';
import { attributePendingConversions } from '../events/store';
import type { Logger } from '../log';

/**
 * The background pass over conversions waiting for their clicks: stores those whose click is
 * stored but missed them (a click committed while its conversion was being kept), and drops
 * expired ones, so the table only holds what may still be attributed. Returns its stopper.
 */
export function startPendingConversionSweeper(
	db: Database,
	log: Logger,
	opts: { perClick: number; intervalMs?: number },
): () => Promise<void> {
	const intervalMs = opts.intervalMs ?? 5_000;
	let stopped = false;
	let timer: NodeJS.Timeout | undefined;
	let running: Promise<void> = Promise.resolve();
	let expiredSinceStart = 0;

	const tick = () => {
		running = (async () => {
			try {
				const attributed = await attributePendingConversions(db, opts.perClick);
				if (attributed > 0)
					log.info('pending conversions stored with their clicks', { attributed });
				const expired = await dropExpiredPendingConversions(db);
				if (expired > 0) {
					expiredSinceStart += expired;
					log.info('pending conversions expired before their clicks were stored', {
						expired,
						expiredSinceStart,
					});
				}
			} catch (err) {
				log.warn('sweeping pending conversions failed; retrying', { err });
			}
			if (!stopped) timer = setTimeout(tick, intervalMs);
		})();
	};
	timer = setTimeout(tick, intervalMs);

	return async () => {
		stopped = true;
		clearTimeout(timer);
		await running;
	};
}
