import type { Database } from '../db';
import { fallbackPollMs, startListener } from '../db/listener';
import { liveEventsBetween, newestEventId, type LiveEvent } from '../events/recent';
import type { Logger } from '../log';

/** Rows read per look-up; a burst larger than this is read in several steps. */
const pageSize = 1000;
/** With notifications arriving, a look-up this often anyway (a lost notification delays, never loses). */
const safetyPollMs = 10_000;

export interface Subscriber {
	campaignId: string;
	/** Receives the campaign's new events, oldest first, each once, in id order. */
	deliver(events: LiveEvent[]): void;
}

interface Entry {
	subscriber: Subscriber;
	/** Events the hub read while the subscriber's catch-up ran; delivered after it. */
	held: LiveEvent[] | null;
}

/**
 * One per process: follows the events table with one cursor (the highest id read) for all open
 * feeds, woken by the events_stored notification (migration 015) or, where notifications do not
 * arrive (the embedded PGlite), by a short poll, and hands each feed its campaign's new events.
 * So a thousand open dashboards cost one look-up per stored batch, not a thousand.
 *
 * Ids are handed out when a transaction inserts, not when it commits: an event whose transaction
 * commits after a later-numbered one was read is not streamed (the stats still count it at the
 * page's next re-fetch). The redirect stores each process's events in one group commit after the
 * other, so this needs concurrent writers and a look-up between their commits.
 */
export function createLiveHub(db: Database, log: Logger) {
	const byCampaign = new Map<string, Set<Entry>>();
	let cursor: string | null = null;
	let running = true;
	let listener: ReturnType<typeof startListener> | undefined;
	let pollTimer: NodeJS.Timeout | undefined;

	// Subscribing and reading run one at a time: a subscriber's catch-up ends exactly where the
	// hub's cursor stood when it joined, so no event falls between the two or comes twice.
	let chain: Promise<unknown> = Promise.resolve();
	const serial = <T>(work: () => Promise<T>): Promise<T> => {
		const run = chain.then(work);
		chain = run.catch(() => undefined);
		return run;
	};

	const read = async (): Promise<void> => {
		if (byCampaign.size === 0 || cursor === null) {
			cursor = null; // nobody listens: start again from the newest event when someone does
			return;
		}
		for (;;) {
			const upTo = await newestEventId(db);
			if (BigInt(upTo) <= BigInt(cursor)) return;
			const events = await liveEventsBetween(db, [...byCampaign.keys()], {
				after: cursor,
				upTo,
				limit: pageSize,
			});
			const full = events.length === pageSize;
			cursor = full ? events[events.length - 1].id : upTo;
			hand(events);
			if (!full) return;
		}
	};

	const hand = (events: LiveEvent[]) => {
		const perCampaign = new Map<string, LiveEvent[]>();
		for (const event of events) {
			const list = perCampaign.get(event.campaignId) ?? [];
			list.push(event);
			perCampaign.set(event.campaignId, list);
		}
		for (const [campaignId, list] of perCampaign) {
			for (const entry of byCampaign.get(campaignId) ?? []) {
				if (entry.held) entry.held.push(...list);
				else entry.subscriber.deliver(list);
			}
		}
	};

	let readQueued = false;
	const wake = () => {
		if (readQueued || !running) return;
		readQueued = true;
		void serial(async () => {
			readQueued = false;
			await read();
		}).catch((err) => log.warn('live feed look-up failed', { err }));
	};

	const schedulePoll = () => {
		if (!running || byCampaign.size === 0) return;
		clearTimeout(pollTimer);
		pollTimer = setTimeout(
			() => {
				wake();
				schedulePoll();
			},
			listener?.notified() ? safetyPollMs : fallbackPollMs,
		);
		pollTimer.unref();
	};

	return {
		/**
		 * Adds a subscriber. Events up to the hub's cursor at that moment are the caller's: it gets
		 * them from `catchUp(upTo)` and hands them over itself before the hub's own deliveries,
		 * which it holds back meanwhile. Returns the function that removes the subscriber.
		 */
		async subscribe(
			subscriber: Subscriber,
			catchUp: (upTo: string) => Promise<void>,
		): Promise<() => void> {
			const entry: Entry = { subscriber, held: [] };
			const upTo = await serial(async () => {
				cursor ??= await newestEventId(db);
				const set = byCampaign.get(subscriber.campaignId) ?? new Set();
				set.add(entry);
				byCampaign.set(subscriber.campaignId, set);
				return cursor;
			});
			listener ??= startListener(db, log, {
				channel: 'events_stored',
				name: 'live feed',
				pollMs: 1_000,
				isRunning: () => running,
				wake,
			});
			schedulePoll();
			const unsubscribe = () => {
				const set = byCampaign.get(subscriber.campaignId);
				set?.delete(entry);
				if (set?.size === 0) byCampaign.delete(subscriber.campaignId);
				if (byCampaign.size === 0) void serial(async () => read());
			};
			try {
				await catchUp(upTo);
			} catch (err) {
				unsubscribe();
				throw err;
			}
			const held = entry.held ?? [];
			entry.held = null;
			if (held.length) subscriber.deliver(held);
			return unsubscribe;
		},
		/** How new events are noticed: 'notifications' (LISTEN works), 'polling', or 'idle' (nobody subscribed yet). */
		following(): 'notifications' | 'polling' | 'idle' {
			if (!listener) return 'idle';
			return listener.notified() ? 'notifications' : 'polling';
		},
		/** Stops the listener; subscribers are the caller's to end. */
		async close(): Promise<void> {
			running = false;
			clearTimeout(pollTimer);
			byCampaign.clear();
			await listener?.stop();
			await chain;
		},
	};
}

export type LiveHub = ReturnType<typeof createLiveHub>;
