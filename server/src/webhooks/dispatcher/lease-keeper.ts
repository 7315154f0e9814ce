import type { Database } from '../../db';
import type { Logger } from '../../log';
import { extendLeases } from '../queue';

/** A delivery this process has claimed and not yet settled. */
export interface Claim {
	id: string;
	attempts: number;
	/** Local time by which the database's lease has surely not run out yet. */
	leasedUntil: number;
	/** Set while its request is in flight: aborting it ends the request. */
	inFlight?: AbortController;
}

/**
 * Keeps the leases of this process's claims alive. The lease arithmetic:
 *
 * - A claim (and every renewal) sets locked_until = the database's now() + leaseMs. The local
 *   clock read just before the statement is sent is earlier than that now(), so `leasedUntil =
 *   sentAt + leaseMs` is never later than the real expiry (only durations of the local clock are
 *   used, so clock offsets between hosts do not matter).
 * - Every leaseMs / 3 one UPDATE renews every claim still held — queued, in flight, or with its
 *   result not yet written — so however long a receiver takes to answer (WEBHOOK_TIMEOUT_MS may
 *   exceed the lease), the delivery stays claimed and nobody sends it again meanwhile.
 * - If renewals fail (the database unreachable) the lease would run out while a request is in
 *   flight. Before that, a claim with less than one renewal interval plus a margin left is given
 *   up: its request is aborted, a queued claim is not sent. So a request is never in flight past
 *   its lease (to the precision of a busy event loop's timers), and another dispatcher can only
 *   claim a delivery nobody is sending. A result not yet written when the lease runs out means
 *   the delivery is sent again later (at least once), never concurrently.
 * - A dispatcher that dies holds its claims for at most one lease; then others send them.
 */
export function startLeaseKeeper(
	db: Database,
	log: Logger,
	leaseMs: number,
	claims: () => Iterable<Claim>,
) {
	const everyMs = Math.max(100, Math.floor(leaseMs / 3));
	const marginMs = everyMs + Math.min(1_000, Math.floor(everyMs / 2));
	let renewing = false;

	const renew = async () => {
		if (renewing) return;
		renewing = true;
		const held = [...claims()];
		try {
			const sentAt = Date.now();
			const kept = await extendLeases(
				db,
				held.map(({ id, attempts }) => ({ id, attempts })),
				leaseMs,
			);
			for (const claim of held) if (kept.has(claim.id)) claim.leasedUntil = sentAt + leaseMs;
		} catch (err) {
			log.warn('could not renew webhook claims', { err, count: held.length });
		} finally {
			renewing = false;
		}
		abandonExpiring();
	};

	const abandonExpiring = () => {
		for (const claim of claims()) {
			if (claim.inFlight && !claim.inFlight.signal.aborted && !keeps(claim)) {
				log.warn('abandoning a webhook request whose claim could not be renewed', { id: claim.id });
				claim.inFlight.abort();
			}
		}
	};

	/** Whether the claim's lease surely outlasts the next renewal. */
	const keeps = (claim: Claim, now = Date.now()) => claim.leasedUntil - now > marginMs;

	const timer = setInterval(() => void renew(), everyMs);
	timer.unref();
	return {
		/** Whether a queued claim may still be sent: its lease surely outlasts the next renewal. */
		keeps,
		stop() {
			clearInterval(timer);
		},
	};
}
