import type { Database } from '../../db';
import type { Logger } from '../../log';
import type { DeliveryResult } from '../../metrics/outcomes';
import type { Resolve } from '../../shared/guarded-lookup';
import type { OutboundGuard } from '../../shared/outbound-address';
import type { DeliveryRow } from '../payload';
import { claimDue, msUntilNextDue, releaseClaims } from '../queue';
import { createSender } from '../sender';
import { ClaimQueue, type HeldClaim, type Room } from './claim-queue';
import { startLeaseKeeper } from './lease-keeper';
import { fallbackPollMs, startListener } from '../../db/listener';
import { createResultWriter, type ResultWriter } from './result-writer';
import { outcome } from './retry-policy';
import { createSignedRequests } from './signed-request';
import {
	createSubscriptionLimits,
	healthyAnswer,
	type SubscriptionLimits,
} from './subscription-limits';
import { createWakeSignal } from './wake-signal';

export { outcome } from './retry-policy';

export interface DispatcherOptions {
	concurrency: number;
	/** Most requests in flight to one subscription (its adaptive limit's ceiling). */
	subscriptionConcurrency: number;
	timeoutMs: number;
	/** How long a claim stays valid without renewal (see lease-keeper.ts). */
	leaseMs: number;
	retrySchedule: number[];
	pollMs: number;
	publicBaseUrl: string;
	/** Told each attempt's result and duration (the metrics' deliveries counter and histogram). */
	observe?: (result: DeliveryResult, seconds: number) => void;
	/** Where deliveries may connect (shared/outbound-address.ts), and the resolver to use. */
	outbound: { guard: OutboundGuard; resolve?: Resolve };
}

export interface Dispatcher {
	/** Stops claiming, lets in-flight attempts finish (bounded by the timeout), writes their results. */
	stop(): Promise<void>;
	/** Resolves once this process holds no claim: nothing queued, in flight, or waiting to be written. */
	whenIdle(): Promise<void>;
}

/**
 * Sends the webhook outbox. One loop claims due deliveries in batches into free slots (see
 * claim-queue.ts), each attempt's result is buffered and written in batches (result-writer.ts),
 * the leases of held claims are renewed while they are held (lease-keeper.ts). LISTEN wakes the
 * loop when deliveries are written anywhere (listener.ts); a timer covers retries coming due and
 * a lost notification. Several processes can run one each on the same database.
 */
export function startDispatcher(db: Database, log: Logger, options: DispatcherOptions): Dispatcher {
	let running = true;
	const isRunning = () => running;
	const sender = createSender(options.concurrency, options.timeoutMs, options.outbound);
	const send = createSignedRequests(sender, options.publicBaseUrl);
	const limits = createSubscriptionLimits({
		max: options.subscriptionConcurrency,
		initial: Math.min(options.subscriptionConcurrency, 8),
	});
	const signal = createWakeSignal(isRunning);
	const writer = createResultWriter(db, log, isRunning, (ids) => queue.settle(ids));

	const attempt = createAttempt(send, limits, writer, options.retrySchedule, options.observe);
	const release = (rows: DeliveryRow[]) => releaseUnsent(db, log, rows);
	const keeper = startLeaseKeeper(db, log, options.leaseMs, () => queue.held());
	const queue = new ClaimQueue({
		...options,
		limits,
		attempt,
		// Released rows are due now: look for them (a NOTIFY only comes with new deliveries).
		release: (rows) => void release(rows).then(() => signal.wake()),
		keeps: keeper.keeps,
		roomOpened: () => signal.wake(),
		isRunning,
	});
	const listener = startListener(db, log, {
		channel: 'webhook_deliveries',
		name: 'webhook dispatcher',
		pollMs: options.pollMs,
		isRunning,
		wake: () => signal.wake(),
	});
	const looping = claimLoop(db, log, { ...options, queue, signal, listener, isRunning }).catch(
		(err) => log.error('webhook dispatcher stopped', { err }),
	);

	return {
		async stop() {
			running = false;
			const listenerStopped = listener.stop();
			signal.wake();
			await looping;
			// Claimed but not started: hand them back at once instead of letting their lease run out.
			await release(queue.drain());
			while (queue.inFlightCount() > 0) await new Promise((r) => setTimeout(r, 10));
			await writer.flush();
			keeper.stop();
			await listenerStopped;
			sender.close();
		},
		whenIdle: () => queue.whenIdle(),
	};
}

/** One attempt: send, tell the subscription's limit how it went, queue the result to be written. */
function createAttempt(
	send: ReturnType<typeof createSignedRequests>,
	limits: SubscriptionLimits,
	writer: ResultWriter,
	retrySchedule: number[],
	observe: DispatcherOptions['observe'] = () => undefined,
) {
	return async (claim: HeldClaim) => {
		const subscriptionId = claim.row.subscription_id;
		const started = performance.now();
		const result = await send(claim.row, claim.inFlight!.signal);
		const ms = performance.now() - started;
		limits.observe(subscriptionId, ms, healthyAnswer(result));
		const gone = 'status' in result && result.status === 410;
		const decided = outcome(claim.row, result, retrySchedule);
		observe(decided.status === 'pending' ? 'retry' : decided.status, ms / 1000);
		writer.record(decided, gone ? subscriptionId : undefined);
	};
}

/** Hands back claims that were never attempted (due now, attempt not counted). */
function releaseUnsent(db: Database, log: Logger, rows: DeliveryRow[]): Promise<void> {
	const claims = rows.map((row) => ({ id: row.id, attempts: row.attempts }));
	return releaseClaims(db, claims).catch((err) =>
		log.warn('could not release webhook claims; they are retried when their lease ends', {
			err,
			count: rows.length,
		}),
	);
}

interface LoopParts {
	queue: ClaimQueue;
	signal: ReturnType<typeof createWakeSignal>;
	listener: ReturnType<typeof startListener>;
	isRunning: () => boolean;
	leaseMs: number;
	timeoutMs: number;
	pollMs: number;
}

/** Claims while there is room; sleeps until the next retry is due, new work is notified, or room frees. */
async function claimLoop(db: Database, log: Logger, parts: LoopParts): Promise<void> {
	const { queue, signal } = parts;
	while (parts.isRunning()) {
		const room = queue.room();
		if (room.total < queue.refillAt) {
			await signal.sleep(parts.timeoutMs);
			signal.reset();
			continue;
		}
		signal.reset();
		let rows: DeliveryRow[];
		const sentAt = Date.now();
		try {
			rows = await claimDue(db, {
				limit: room.total,
				leaseMs: parts.leaseMs,
				rooms: room.bySubscription,
				defaultRoom: room.defaultRoom,
			});
		} catch (err) {
			log.warn('could not claim webhook deliveries', { err });
			await signal.sleep(parts.pollMs);
			continue;
		}
		queue.add(rows, sentAt + parts.leaseMs);
		if (rows.length === room.total) continue;
		await signal.sleep(await idleWait(db, parts, room, rows.length === 0));
	}
}

/** How long to sleep when nothing more is due for the subscriptions that have room. */
async function idleWait(
	db: Database,
	parts: LoopParts,
	room: Room,
	claimedNothing: boolean,
): Promise<number> {
	let wait = parts.listener.notified() ? parts.pollMs : Math.min(parts.pollMs, fallbackPollMs);
	if (claimedNothing) {
		const next = await msUntilNextDue(db, room.saturated).catch(() => undefined);
		if (next !== undefined) wait = Math.min(wait, Math.max(10, next));
	}
	return wait;
}
