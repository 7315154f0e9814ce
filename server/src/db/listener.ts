import type { Notification, PoolClient } from 'pg';
import type { Logger } from '../log';
import type { Database } from './index';

/** Poll interval when LISTEN/NOTIFY is not available: keeps the lag of new work well under a second. */
export const fallbackPollMs = 200;

interface ListenerOptions {
	/** The notification channel (a constant of ours: it is spliced into LISTEN, which takes no parameters). */
	channel: string;
	/** Who listens, for the log lines ("webhook dispatcher", "live feed"). */
	name: string;
	pollMs: number;
	isRunning: () => boolean;
	/** Called on every notification (new deliveries committed anywhere) and after (re)connecting. */
	wake: () => void;
}

/**
 * LISTEN on a dedicated connection, re-established after a database outage. A probe proves that
 * notifications arrive; where they do not (the embedded PGlite's socket server drops them),
 * `notified()` stays false and the claim loop polls every fallbackPollMs instead, which is a
 * cheap index look-up.
 */
export function startListener(db: Database, log: Logger, options: ListenerOptions) {
	const { channel, name } = options;
	if (!/^[a-z_]+$/.test(channel)) throw new Error(`not a channel name: ${channel}`);
	let listener: PoolClient | undefined;
	let notified = false;
	let signalStop: () => void = () => undefined;
	const stopped = new Promise<void>((resolve) => (signalStop = resolve));

	const onLost = (connection: PoolClient, err: Error) => {
		log.warn(`${name} LISTEN connection lost`, { err });
		if (listener !== connection) return; // still setting up: connect()'s catch releases it
		listener = undefined;
		notified = false;
		connection.release(err);
		if (options.isRunning()) listening = pause(options.pollMs, options.isRunning).then(listen);
	};

	/** Listens on one new connection and probes it; true when notifications arrive. */
	const connect = async (client: PoolClient): Promise<boolean> => {
		client.on('notification', () => options.wake());
		client.on('error', (err) => onLost(client, err));
		await client.query(`LISTEN ${channel}`);
		if (!options.isRunning()) return false;
		listener = client;
		return probe(db, client, channel, stopped);
	};

	const listen = async (): Promise<void> => {
		while (options.isRunning() && !listener) {
			let client: PoolClient | undefined;
			try {
				client = await db.connect();
				notified = await connect(client);
				if (!listener) client.release();
				else if (!notified)
					log.info(`database notifications do not arrive; ${name} polls`, {
						everyMs: fallbackPollMs,
					});
				options.wake();
			} catch (err) {
				log.warn(`${name} LISTEN failed; polling`, { err });
				if (client && listener !== client) client.release(err as Error);
				await pause(Math.max(options.pollMs, 1_000), options.isRunning);
			}
		}
	};

	let listening = listen();

	return {
		notified: () => notified,
		/** Call after isRunning() turned false: ends the probe wait, UNLISTENs, releases the connection. */
		async stop() {
			signalStop();
			await listening;
			if (!listener) return;
			const client = listener;
			listener = undefined;
			await client.query(`UNLISTEN ${channel}`).catch(() => undefined);
			client.release();
		},
	};
}

/** Sends a notification and waits up to 2 s (or until stopped) for it to come back on `client`. */
async function probe(
	db: Database,
	client: PoolClient,
	channel: string,
	stopped: Promise<void>,
): Promise<boolean> {
	const payload = `probe-${Math.random().toString(36).slice(2)}`;
	let arrived: () => void = () => undefined;
	const back = new Promise<boolean>((resolve) => (arrived = () => resolve(true)));
	const onNotification = (msg: Notification) => msg.payload === payload && arrived();
	client.on('notification', onNotification);
	let timer: NodeJS.Timeout | undefined;
	try {
		await db.query('SELECT pg_notify($1, $2)', [channel, payload]);
		const timedOut = new Promise<boolean>((r) => (timer = setTimeout(() => r(false), 2_000)));
		return await Promise.race([back, timedOut, stopped.then(() => false)]);
	} finally {
		clearTimeout(timer);
		client.off('notification', onNotification);
	}
}

/** Waits up to `ms`, checking every 50 ms whether to stop early. */
export async function pause(ms: number, isRunning: () => boolean): Promise<void> {
	for (const until = Date.now() + ms; isRunning() && Date.now() < until; )
		await new Promise((r) => setTimeout(r, 50));
}
