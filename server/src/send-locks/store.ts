import type { Queryable } from '../db';
import { HttpError, notFound } from '../http/errors';
import type { SendLock } from './schemas';

interface Row {
	campaign_id: string;
	wave: string;
	holder: string;
	held_until: Date;
}

const toLock = (row: Row): SendLock => ({
	campaignId: row.campaign_id,
	wave: row.wave,
	holder: row.holder,
	heldUntil: row.held_until.toISOString(),
});

/**
 * Takes the lock of a campaign's send wave for `holder`, for `leaseSeconds` from now: when nobody
 * holds it, its lease ended, or `holder` already holds it (taking it again renews the lease). Two
 * takers at once: the primary key makes one of them wait for the other and then see its lock.
 */
export async function takeSendLock(
	db: Queryable,
	campaignId: string,
	wave: string,
	holder: string,
	leaseSeconds: number,
): Promise<SendLock> {
	const { rows } = await db.query<Row>(
		`INSERT INTO send_locks AS l (campaign_id, wave, holder, held_until)
		 VALUES ($1, $2, $3, now() + $4 * interval '1 second')
		 ON CONFLICT (campaign_id, wave) DO UPDATE SET holder = excluded.holder, held_until = excluded.held_until
		 WHERE l.holder = excluded.holder OR l.held_until <= now()
		 RETURNING campaign_id, wave, holder, held_until`,
		[campaignId, wave, holder, leaseSeconds],
	);
	if (rows[0]) return toLock(rows[0]);
	const held = await db.query<Row>(
		'SELECT campaign_id, wave, holder, held_until FROM send_locks WHERE campaign_id = $1 AND wave = $2',
		[campaignId, wave],
	);
	const other = held.rows[0];
	throw new HttpError(
		409,
		'send_in_progress',
		other
			? `The wave "${wave}" is being sent by ${other.holder} (its lock ends at ${other.held_until.toISOString()} unless given back sooner); nothing was locked`
			: `The wave "${wave}" was being sent by another holder a moment ago; try again`,
	);
}

/** Gives the lock back; only its holder can (404 when `holder` does not hold it). */
export async function releaseSendLock(db: Queryable, campaignId: string, wave: string, holder: string): Promise<void> {
	const { rowCount } = await db.query('DELETE FROM send_locks WHERE campaign_id = $1 AND wave = $2 AND holder = $3', [
		campaignId,
		wave,
		holder,
	]);
	if (rowCount === 0) throw notFound(`${holder} holds no lock of the wave "${wave}"`);
}
