import type { Database } from '../db';
import type { Logger } from '../log';

/** How often an instance looks whether another one changed links: at most this late everywhere. */
export const linkChangeCheckMs = 1_000;

const bump = "SELECT nextval('links_changed')";
// a new sequence's last_value is already 1 before its first nextval(): is_called tells them apart
const read = 'SELECT (CASE WHEN is_called THEN last_value ELSE 0 END)::text AS value FROM links_changed';

/**
 * Keeps this instance's link cache in step with the other instances on the database: `changed()`
 * forgets the cached codes here at once and moves the links_changed sequence (migration 030);
 * every instance reads the sequence each `everyMs` and forgets its own when it moved, so an erased
 * number's codes or an Update's new fallback hold everywhere within a second, not after
 * LINK_CACHE_TTL_SECONDS. A sequence read by each instance rather than LISTEN: it holds no pool
 * connection for good, and works on the embedded database too. While the database cannot be
 * reached the cache keeps serving, as it does for its own refreshes.
 */
export async function followLinkChanges(
	db: Database,
	log: Logger,
	forget: () => void,
	everyMs = linkChangeCheckMs,
) {
	const current = async () => (await db.query<{ value: string }>(read)).rows[0].value;
	// read before any request is served: a change after this is one the cache may have missed
	let seen = await current();
	let timer: NodeJS.Timeout | undefined;
	let checking: Promise<void> = Promise.resolve();
	let running = true;
	const check = async () => {
		try {
			const value = await current();
			if (value !== seen) forget();
			seen = value;
		} catch (err) {
			log.debug('could not look for link changes', { err });
		}
		if (running) timer = setTimeout(() => (checking = check()), everyMs);
	};
	timer = setTimeout(() => (checking = check()), everyMs);
	return {
		/** After a change has committed. */
		changed() {
			forget();
			db.query(bump).catch((err) =>
				log.warn('could not tell the other instances that links changed', { err }),
			);
		},
		async stop() {
			running = false;
			clearTimeout(timer);
			await checking;
		},
	};
}
