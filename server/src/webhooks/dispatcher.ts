import type { PoolClient } from 'pg';
import type { Database } from '../db';
import type { Logger } from '../log';
import { buildPayload, type DeliveryRow } from './payload';
import { claimDue, disableSubscriptions, msUntilNextDue, recordResults, releaseClaims, type AttemptResult } from './queue';
import { nextDelayMs, parseRetryAfter } from './schedule';
import { createSender, type SendResult } from './sender';
import { secretKey, sign } from './signature';

export interface DispatcherOptions {
	concurrency: number;
	timeoutMs: number;
	retrySchedule: number[];
	pollMs: number;
	publicBaseUrl: string;
}

export interface Dispatcher {
	/** Stops claiming, lets in-flight attempts finish (bounded by the timeout), writes their results. */
	stop(): Promise<void>;
}

const channel = 'webhook_deliveries';
const flushEvery = 200;
const flushAfterMs = 5;
/** Poll interval when LISTEN/NOTIFY is not available: keeps the lag of new deliveries well under a second. */
const fallbackPollMs = 200;

/**
 * Sends the webhook outbox. One loop claims due deliveries in batches into free slots (at most
 * `concurrency` requests in flight), each attempt's result is buffered and written in batches.
 * LISTEN wakes the loop when deliveries are written anywhere; a timer covers retries coming due
 * and a lost notification. Several processes can run one each on the same database.
 */
export function startDispatcher(db: Database, log: Logger, options: DispatcherOptions): Dispatcher {
	const sender = createSender(options.concurrency, options.timeoutMs);
	// Long enough for a queued claim to be sent (≤ timeout) and its result written; a process that
	// dies holding claims delays them by this much, after which another dispatcher sends them.
	const leaseMs = 2 * options.timeoutMs + 5_000;
	const refillAt = options.concurrency;
	const keys = new Map<string, Buffer>();
	let running = true;
	let inFlight = 0;
	let wakeUp: (() => void) | undefined;
	let woken = false;

	const wake = () => {
		woken = true;
		wakeUp?.();
	};
	const sleep = (ms: number) =>
		new Promise<void>((resolve) => {
			if (woken || !running) return resolve();
			const timer = setTimeout(() => finish(), Math.max(0, ms));
			const finish = () => {
				clearTimeout(timer);
				wakeUp = undefined;
				resolve();
			};
			wakeUp = finish;
		});

	// Results are written in batches: one UPDATE per flush instead of one per delivery.
	let buffer: AttemptResult[] = [];
	let gone = new Set<string>();
	let flushing: Promise<void> = Promise.resolve();
	let flushTimer: NodeJS.Timeout | undefined;
	const flush = (): Promise<void> => {
		if (flushTimer) clearTimeout(flushTimer);
		flushTimer = undefined;
		flushing = flushing.then(async () => {
			const results = buffer;
			const disable = [...gone];
			buffer = [];
			gone = new Set();
			for (let attempt = 0; ; attempt++) {
				try {
					await recordResults(db, results);
					await disableSubscriptions(db, disable, 'the receiver answered 410 Gone');
					return;
				} catch (err) {
					// Keep retrying while running: an unwritten result only means the lease expires and
					// the delivery is sent again (at least once), so never give up silently.
					log.warn('could not record webhook results', { err, count: results.length, attempt });
					if (!running && attempt >= 2) return;
					await new Promise((r) => setTimeout(r, Math.min(5_000, 200 * 2 ** attempt)));
				}
			}
		});
		return flushing;
	};
	const record = (result: AttemptResult) => {
		buffer.push(result);
		if (buffer.length >= flushEvery) void flush();
		else flushTimer ??= setTimeout(() => void flush(), flushAfterMs);
	};

	const attempt = async (row: DeliveryRow) => {
		let result: SendResult;
		try {
			let key = keys.get(row.secret);
			if (!key) {
				if (keys.size > 10_000) keys.clear();
				key = secretKey(row.secret);
				keys.set(row.secret, key);
			}
			const body = Buffer.from(JSON.stringify(buildPayload(row, options.publicBaseUrl)));
			const timestamp = Math.floor(Date.now() / 1000);
			const headers = {
				'user-agent': 'sms-tracking-webhooks/1',
				'webhook-id': row.id,
				'webhook-timestamp': String(timestamp),
				'webhook-signature': sign(key, row.id, timestamp, body.toString()),
			};
			result = await sender.send(new URL(row.target_url), headers, body);
		} catch (err) {
			result = { error: `could not send: ${(err as Error).message}` };
		}
		if ('status' in result && result.status === 410) gone.add(row.subscription_id);
		record(outcome(row, result, options.retrySchedule));
	};

	// Claimed rows wait here for a free slot. The loop keeps up to four times the slots claimed
	// ahead, so sends never wait on the claim's round trip; the lease covers the short wait.
	// A claim that waited longer than one timeout (slow receivers hold the slots) is handed back
	// rather than sent: its lease might run out during the send and another claim send it again.
	const queue: Array<{ row: DeliveryRow; claimedAt: number }> = [];
	const target = options.concurrency * 4;
	const pump = () => {
		const stale: DeliveryRow[] = [];
		while (running && inFlight < options.concurrency && queue.length > 0) {
			const { row, claimedAt } = queue.shift()!;
			if (Date.now() - claimedAt > options.timeoutMs) {
				stale.push(row);
				continue;
			}
			inFlight++;
			void attempt(row).finally(() => {
				inFlight--;
				pump();
				if (target - inFlight - queue.length >= refillAt) wake();
			});
		}
		if (stale.length) void release(stale);
	};
	const release = (rows: DeliveryRow[]) =>
		releaseClaims(db, rows.map((row) => ({ id: row.id, attempts: row.attempts }))).catch((err) =>
			log.warn('could not release webhook claims; they are retried when their lease ends', { err, count: rows.length }),
		);

	const loop = async () => {
		while (running) {
			const room = target - inFlight - queue.length;
			if (room < refillAt) {
				await sleep(options.timeoutMs);
				woken = false;
				continue;
			}
			woken = false;
			let rows: DeliveryRow[] = [];
			try {
				rows = await claimDue(db, room, leaseMs);
			} catch (err) {
				log.warn('could not claim webhook deliveries', { err });
				await sleep(options.pollMs);
				continue;
			}
			const claimedAt = Date.now();
			for (const row of rows) queue.push({ row, claimedAt });
			pump();
			if (rows.length === room) continue;
			// Nothing more due now: sleep until the next retry is due, new work is notified, or room frees.
			let wait = notified ? options.pollMs : Math.min(options.pollMs, fallbackPollMs);
			if (rows.length === 0) {
				const next = await msUntilNextDue(db).catch(() => undefined);
				if (next !== undefined) wait = Math.min(wait, Math.max(10, next));
			}
			await sleep(wait);
		}
	};

	// LISTEN on a dedicated connection, re-established after a database outage. A probe proves that
	// notifications arrive; where they do not (the embedded PGlite's socket server drops them), the
	// loop polls every fallbackPollMs instead, which is a cheap index look-up.
	let listener: PoolClient | undefined;
	let notified = false;
	let signalStop: () => void = () => undefined;
	const stopped = new Promise<void>((resolve) => (signalStop = resolve));
	const pause = async (ms: number) => {
		for (const until = Date.now() + ms; running && Date.now() < until; ) await new Promise((r) => setTimeout(r, 50));
	};
	const listen = async (): Promise<void> => {
		while (running && !listener) {
			let client: PoolClient | undefined;
			try {
				client = await db.connect();
				const connection = client;
				const probe = `probe-${Math.random().toString(36).slice(2)}`;
				let probed: () => void = () => undefined;
				const arrived = new Promise<void>((resolve) => (probed = resolve));
				connection.on('notification', (msg) => {
					if (msg.payload === probe) probed();
					wake();
				});
				connection.on('error', (err) => {
					log.warn('webhook LISTEN connection lost', { err });
					if (listener !== connection) return; // still setting up: the catch below releases it
					listener = undefined;
					notified = false;
					connection.release(err);
					if (running) listening = pause(options.pollMs).then(listen);
				});
				await connection.query(`LISTEN ${channel}`);
				if (!running) {
					connection.release();
					return;
				}
				listener = connection;
				await db.query('SELECT pg_notify($1, $2)', [channel, probe]);
				let probeTimer: NodeJS.Timeout | undefined;
				const timedOut = new Promise<boolean>((r) => (probeTimer = setTimeout(() => r(false), 2_000)));
				notified = await Promise.race([arrived.then(() => true), timedOut, stopped.then(() => false)]);
				clearTimeout(probeTimer);
				if (!notified) log.info('database notifications do not arrive; webhook dispatcher polls', { everyMs: fallbackPollMs });
				wake();
			} catch (err) {
				log.warn('webhook LISTEN failed; polling', { err });
				if (client && listener !== client) client.release(err as Error);
				await pause(Math.max(options.pollMs, 1_000));
			}
		}
	};

	let listening = listen();
	const looping = loop().catch((err) => log.error('webhook dispatcher stopped', { err }));

	return {
		async stop() {
			running = false;
			signalStop();
			wake();
			await looping;
			// Claimed but not started: hand them back at once instead of letting their lease run out.
			await release(queue.splice(0).map((queued) => queued.row));
			while (inFlight > 0) await new Promise((r) => setTimeout(r, 10));
			await flush();
			await listening;
			if (listener) {
				const client = listener;
				listener = undefined;
				await client.query(`UNLISTEN ${channel}`).catch(() => undefined);
				client.release();
			}
			sender.close();
		},
	};
}

/** What one attempt means for the delivery: delivered, try again later, or failed for good. */
export function outcome(row: Pick<DeliveryRow, 'id' | 'attempts'>, result: SendResult, schedule: readonly number[]): AttemptResult {
	const base = { id: row.id, attempts: row.attempts };
	if ('status' in result && result.status >= 200 && result.status < 300) {
		return { ...base, status: 'delivered', lastStatus: result.status, lastError: null, delayMs: null };
	}
	const lastStatus = 'status' in result ? result.status : null;
	const lastError = 'status' in result ? `the receiver answered HTTP ${result.status}` : result.error;
	if (lastStatus === 410) return { ...base, status: 'failed', lastStatus, lastError, delayMs: null };
	const retryAfter = 'status' in result ? parseRetryAfter(result.retryAfter) : undefined;
	const delayMs = nextDelayMs(row.attempts, schedule, retryAfter);
	if (delayMs === undefined) {
		return { ...base, status: 'failed', lastStatus, lastError: `${lastError}; gave up after ${row.attempts} attempts`, delayMs: null };
	}
	return { ...base, status: 'pending', lastStatus, lastError, delayMs };
}
