import type { Database } from '../db';
import { fallbackPollMs, startListener } from '../db/listener';
import { liveEventsByIds, newestEventId, storedIdsIn, type LiveEvent } from '../events/recent';
import type { Logger } from '../log';
import { nextGaps, type IdGap } from './id-gaps';

/** New ids examined per step; a burst larger than this is read in several steps. */
const pageSize = 5000n;
/** Look-ups at most this often (a burst of notifications is one look-up). */
const minReadIntervalMs = 50;
/**
 * How long a missing id below the newest is awaited. Ids are handed out when a transaction
 * inserts, not when it commits: two group commits in flight interleave their ids, and the one that
 * commits second fills the gaps the first left. Longer than a group commit may take (the
 * redirect's CLICK_COMMIT_TIMEOUT_MS, 2 s by default); an id still missing then was rolled back or
 * skipped as a duplicate and never comes.
 */
const gapGraceMs = 10_000;
/** Most gaps awaited at once (the newest are kept). */
const maxGaps = 500;

export interface Subscriber {
	campaignId: string;
	/** Receives the campaign's new events, in id order within one call; late ones may come after higher ids. */
	deliver(events: LiveEvent[]): void;
}

interface Entry {
	subscriber: Subscriber;
	/** Events the hub read while the subscriber's catch-up ran; delivered after it. */
	held: LiveEvent[] | null;
}

/**
 * One per process: follows the events table for all open feeds — the highest id read plus the
 * ids below it still missing (uncommitted when read) — woken by the events_stored notification
 * (migration 015) or, where notifications do not arrive (the embedded PGlite), by a short poll,
 * and hands each feed its campaign's new events. So a thousand open dashboards cost one look-up
 * per stored batch, not a thousand.
 */
export function createLiveHub(db: Database, log: Logger) {
	const byCampaign = new Map<string, Set<Entry>>();
	let high: bigint | null = null;
	let gaps: IdGap[] = [];
	let running = true;
	let listener: ReturnType<typeof startListener> | undefined;
	let pollTimer: NodeJS.Timeout | undefined;

	// Subscribing and reading run one at a time: a subscriber's catch-up ends exactly where the
	// hub's highest id stood when it joined, so no event falls between the two.
	let chain: Promise<unknown> = Promise.resolve();
	const serial = <T>(work: () => Promise<T>): Promise<T> => {
		const run = chain.then(work);
		chain = run.catch(() => undefined);
		return run;
	};

	const read = async (): Promise<void> => {
		if (byCampaign.size === 0 || high === null) {
			// nobody listens: start again from the newest event when someone does
			high = null;
			gaps = [];
			return;
		}
		for (let from: bigint = high; ; ) {
			const newest = BigInt(await newestEventId(db));
			const to = newest - from > pageSize ? from + pageSize : newest;
			const range = to > from ? { from, to } : null;
			if (!range && gaps.length === 0) return;
			const ranges: Array<[bigint, bigint]> = gaps.map((g) => [g.lo, g.hi]);
			if (range) ranges.push([from + 1n, to]);
			const found = await storedIdsIn(db, ranges, [...byCampaign.keys()]);
			const now = Date.now();
			gaps = nextGaps(
				gaps,
				found.map((f) => f.id),
				range,
				{ now, graceMs: gapGraceMs, max: maxGaps },
			);
			if (range) high = from = to;
			hand(
				await liveEventsByIds(
					db,
					found.filter((f) => f.wanted).map((f) => f.id),
				),
			);
			if (to === newest) return;
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

	// Under load every group commit notifies: reading at most every minReadIntervalMs lets one
	// look-up carry many commits' events instead of costing three queries per commit.
	let readQueued = false;
	let lastRead = 0;
	const wake = () => {
		if (readQueued || !running) return;
		readQueued = true;
		const run = () =>
			void serial(async () => {
				readQueued = false;
				lastRead = Date.now();
				await read();
			}).catch((err) => log.warn('live feed look-up failed', { err }));
		const wait = lastRead + minReadIntervalMs - Date.now();
		if (wait > 0) setTimeout(run, wait).unref();
		else run();
	};

	// Polls while notifications do not arrive (the embedded database, or the LISTEN connection
	// lost and not yet back); while they do, each commit's notification is the only trigger: the
	// listener wakes the hub after every reconnect, so nothing committed meanwhile is left behind.
	const schedulePoll = () => {
		if (!running || byCampaign.size === 0) return;
		clearTimeout(pollTimer);
		pollTimer = setTimeout(() => {
			if (!listener?.notified()) wake();
			schedulePoll();
		}, fallbackPollMs);
		pollTimer.unref();
	};

	return {
		/**
		 * Adds a subscriber. Events up to the hub's highest id at that moment are the caller's: it gets
		 * them from `catchUp(upTo)` and hands them over itself before the hub's own deliveries,
		 * which it holds back meanwhile. Returns the function that removes the subscriber.
		 */
		async subscribe(
			subscriber: Subscriber,
			catchUp: (upTo: string) => Promise<void>,
		): Promise<() => void> {
			const entry: Entry = { subscriber, held: [] };
			const upTo = await serial(async () => {
				high ??= BigInt(await newestEventId(db));
				const set = byCampaign.get(subscriber.campaignId) ?? new Set();
				set.add(entry);
				byCampaign.set(subscriber.campaignId, set);
				return high.toString();
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
				if (byCampaign.size === 0) void serial(read).catch(() => undefined); // forgets the position
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
