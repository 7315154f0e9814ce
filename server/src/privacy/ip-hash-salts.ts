import { randomBytes } from 'node:crypto';
import type { Queryable } from '../db';
import type { Logger } from '../log';

export interface SaltKeeper {
	/** The salt of the current period (synchronous: the redirect hashes on its hot path). */
	current(): string;
	/** Loads the current period's salt (creating it if no instance has yet) and keeps it fresh. */
	start(): Promise<void>;
	/** What the keeper's timer does: load the current period's salt, drop older ones, prepare the next. */
	refresh(): Promise<void>;
	stop(): void;
}

interface KeeperOptions {
	rotationDays: number;
	/** Used only while no salt could be read from the database (it was down at boot). */
	fallbackSalt: string;
	log: Logger;
	now?: () => number;
	/** How often the keeper looks ahead; a period boundary is met within this much time. */
	checkEveryMs?: number;
}

/**
 * A salt per period of `rotationDays`, shared by every instance through PostgreSQL: the first
 * instance to need a period's salt inserts a random one, the others read it. Once a period has
 * begun, the salts of earlier periods are deleted; hashes stored with them can no longer be
 * matched or brute-forced by whoever gets hold of the database later. The next period's salt is
 * made shortly before it starts, so every instance switches at the boundary without waiting on
 * the database.
 */
export function createSaltKeeper(db: Queryable, options: KeeperOptions): SaltKeeper {
	const { log } = options;
	const now = options.now ?? Date.now;
	const periodMs = options.rotationDays * 86_400_000;
	const checkEveryMs = options.checkEveryMs ?? 60_000;
	const salts = new Map<number, string>();
	let timer: NodeJS.Timeout | undefined;
	let warned = false;

	const periodOf = (t: number) => Math.floor(t / periodMs);

	async function saltOf(period: number): Promise<string> {
		await db.query(
			'INSERT INTO ip_hash_salts (period, salt) VALUES ($1, $2) ON CONFLICT (period) DO NOTHING',
			[period, randomBytes(32).toString('base64url')],
		);
		const { rows } = await db.query<{ salt: string }>(
			'SELECT salt FROM ip_hash_salts WHERE period = $1',
			[period],
		);
		return rows[0].salt;
	}

	async function refresh(): Promise<void> {
		const t = now();
		const period = periodOf(t);
		if (!salts.has(period)) salts.set(period, await saltOf(period));
		await db.query('DELETE FROM ip_hash_salts WHERE period < $1', [period]);
		for (const known of salts.keys()) if (known < period) salts.delete(known);
		// Close to the boundary: the next salt, ready before anyone needs it.
		if ((period + 1) * periodMs - t <= 2 * checkEveryMs && !salts.has(period + 1))
			salts.set(period + 1, await saltOf(period + 1));
	}

	const refreshLogged = () =>
		refresh().catch((err) => log.warn('ip-hash salt not refreshed: database unreachable', { err }));

	return {
		current() {
			const period = periodOf(now());
			const salt = salts.get(period) ?? salts.get(period - 1);
			if (salt) return salt;
			if (!warned) {
				warned = true;
				log.warn('ip-hash salt not loaded yet: hashing with the fixed salt meanwhile');
			}
			return options.fallbackSalt;
		},
		async start() {
			await refreshLogged();
			timer = setInterval(refreshLogged, checkEveryMs);
			timer.unref();
		},
		refresh,
		stop() {
			if (timer) clearInterval(timer);
		},
	};
}
