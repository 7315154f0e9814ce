import type { DeliveryRow } from '../payload';
import type { Claim } from './lease-keeper';
import type { SubscriptionLimits } from './subscription-limits';

/** A claimed delivery, from its claim until its result is written. */
export interface HeldClaim extends Claim {
	row: DeliveryRow;
	claimedAt: number;
}

/** How much more the claim loop may take: in all, and per subscription. */
export interface Room {
	total: number;
	/** Per subscription seen so far; 0 for the saturated ones. Others may take `defaultRoom`. */
	bySubscription: Record<string, number>;
	defaultRoom: number;
	/** Subscriptions that may take nothing now (their next due delivery is of no interest). */
	saturated: string[];
}

interface ClaimQueueOptions {
	concurrency: number;
	timeoutMs: number;
	limits: SubscriptionLimits;
	/** Sends one claim and records its result; the queue counts the slot until it resolves. */
	attempt: (claim: HeldClaim) => Promise<void>;
	/** Hands back claims that were never attempted. */
	release: (rows: DeliveryRow[]) => void;
	/** Whether a queued claim's lease surely outlasts its send (see lease-keeper.ts). */
	keeps: (claim: Claim) => boolean;
	/** A slot freed and enough room opened for another claim round. */
	roomOpened: () => void;
	isRunning: () => boolean;
}

/**
 * Claimed rows wait here, per subscription, for a free slot: at most `concurrency` requests in
 * flight in all, at most the subscription's adaptive limit each, slots handed out round-robin
 * over subscriptions. The loop keeps up to four times the slots claimed ahead (four times its
 * limit per subscription), so sends never wait on the claim's round trip. A claim that waited
 * longer than one timeout (slow receivers hold the slots) is handed back rather than kept: another
 * process with free slots may send it.
 */
export class ClaimQueue {
	private readonly lookahead = 4;
	private readonly target: number;
	/** The claim loop claims once at least this much room is free (a quarter of its target). */
	readonly refillAt: number;
	/** Every claim held: queued, in flight, or its result not yet written. */
	private readonly claims = new Map<string, HeldClaim>();
	/** Queued claims by subscription; the order of the keys is the round-robin order. */
	private readonly queues = new Map<string, HeldClaim[]>();
	private readonly inFlightBy = new Map<string, number>();
	private inFlight = 0;
	private queued = 0;
	private idleWaiters: Array<() => void> = [];

	constructor(private readonly options: ClaimQueueOptions) {
		this.target = options.concurrency * this.lookahead;
		this.refillAt = options.concurrency;
	}

	/** Rows just claimed; `leasedUntil` from the claim's send time. */
	add(rows: DeliveryRow[], leasedUntil: number) {
		const claimedAt = Date.now();
		for (const row of rows) {
			const claim: HeldClaim = { id: row.id, attempts: row.attempts, leasedUntil, row, claimedAt };
			this.claims.set(row.id, claim);
			const queue = this.queues.get(row.subscription_id) ?? [];
			queue.push(claim);
			this.queues.set(row.subscription_id, queue);
			this.queued++;
		}
		this.pump();
	}

	room(): Room {
		const bySubscription: Record<string, number> = {};
		const saturated: string[] = [];
		const seen = [...this.options.limits.known(), ...this.queues.keys(), ...this.inFlightBy.keys()];
		for (const id of new Set(seen)) {
			bySubscription[id] = this.roomOf(id);
			if (bySubscription[id] === 0) saturated.push(id);
		}
		const total = this.target - this.inFlight - this.queued;
		const defaultRoom = this.lookahead * this.options.limits.initial;
		return { total, bySubscription, defaultRoom, saturated };
	}

	/** Every claim held: queued, in flight, or its result not yet written (for the lease keeper). */
	held(): Iterable<HeldClaim> {
		return this.claims.values();
	}

	/** The results of these deliveries are written (or given up on): they are no longer held. */
	settle(ids: string[]) {
		for (const id of ids) this.claims.delete(id);
		if (this.claims.size > 0) return;
		const waiters = this.idleWaiters;
		this.idleWaiters = [];
		waiters.forEach((resolve) => resolve());
	}

	/** Takes every queued claim out (a stopping dispatcher hands them back). */
	drain(): DeliveryRow[] {
		const claims = [...this.queues.values()].flat();
		this.queues.clear();
		this.queued = 0;
		this.settle(claims.map((claim) => claim.id));
		return claims.map((claim) => claim.row);
	}

	inFlightCount(): number {
		return this.inFlight;
	}

	/** Resolves once this process holds no claim at all (at once if it holds none now). */
	whenIdle(): Promise<void> {
		if (this.claims.size === 0) return Promise.resolve();
		return new Promise((resolve) => this.idleWaiters.push(resolve));
	}

	/** Starts queued claims while slots are free, one per subscription in turn. */
	private pump() {
		const stale: HeldClaim[] = [];
		for (let started = true; started && this.options.isRunning() && this.hasSlot(); ) {
			started = false;
			for (const [subscriptionId, queue] of [...this.queues]) {
				if (!this.hasSlot()) break;
				if (this.inFlightOf(subscriptionId) >= this.options.limits.limit(subscriptionId)) continue;
				const claim = this.next(queue, stale);
				// Round-robin: this subscription goes to the back of the line.
				this.queues.delete(subscriptionId);
				if (queue.length > 0) this.queues.set(subscriptionId, queue);
				if (!claim) continue;
				this.start(claim);
				started = true;
			}
		}
		if (stale.length === 0) return;
		this.settle(stale.map((claim) => claim.id));
		this.options.release(stale.map((claim) => claim.row));
	}

	private start(claim: HeldClaim) {
		const subscriptionId = claim.row.subscription_id;
		this.inFlight++;
		this.inFlightBy.set(subscriptionId, this.inFlightOf(subscriptionId) + 1);
		claim.inFlight = new AbortController();
		void this.options.attempt(claim).finally(() => {
			this.inFlight--;
			const left = this.inFlightOf(subscriptionId) - 1;
			if (left > 0 || this.queues.has(subscriptionId)) this.inFlightBy.set(subscriptionId, left);
			else this.inFlightBy.delete(subscriptionId);
			claim.inFlight = undefined;
			this.pump();
			const roomForAll = this.target - this.inFlight - this.queued >= this.refillAt;
			if (roomForAll && this.roomOf(subscriptionId) > 0) this.options.roomOpened();
		});
	}

	/** The subscription's next claim that may still be sent; stale ones go to `stale`. */
	private next(queue: HeldClaim[], stale: HeldClaim[]): HeldClaim | undefined {
		for (let claim = queue.shift(); claim; claim = queue.shift()) {
			this.queued--;
			const fresh = Date.now() - claim.claimedAt <= this.options.timeoutMs;
			if (fresh && this.options.keeps(claim)) return claim;
			stale.push(claim);
		}
		return undefined;
	}

	private hasSlot(): boolean {
		return this.inFlight < this.options.concurrency;
	}

	private inFlightOf(subscriptionId: string): number {
		return this.inFlightBy.get(subscriptionId) ?? 0;
	}

	/** Room for one subscription; counted only once a whole window is free, so claims come in batches. */
	private roomOf(subscriptionId: string): number {
		const limit = this.options.limits.limit(subscriptionId);
		const held = this.inFlightOf(subscriptionId) + (this.queues.get(subscriptionId)?.length ?? 0);
		const room = this.lookahead * limit - held;
		return room >= limit ? room : 0;
	}
}
