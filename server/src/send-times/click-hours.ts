import type { Database } from '../db';
import type { Logger } from '../log';
import { zoneByCallingCode } from './recipient-zone';

/** Events per statement of the one-off count of clicks stored before migration 027. */
const backfillChunk = 200_000;

/**
 * Fills send_time_zones from recipient-zone.ts (the trigger of migration 027 reads a recipient's
 * zone there), then, once per database, counts the clicks stored before that migration into
 * recipient_click_hours. Runs at boot, before the server answers.
 */
export async function prepareClickHours(db: Database, log: Logger): Promise<void> {
	const zones = zoneByCallingCode();
	await db.query(
		`INSERT INTO send_time_zones (calling_code, zone)
		 SELECT * FROM unnest($1::text[], $2::text[])
		 ON CONFLICT (calling_code) DO UPDATE SET zone = excluded.zone
		 WHERE send_time_zones.zone <> excluded.zone`,
		[[...zones.keys()], [...zones.values()]],
	);
	await db.query('DELETE FROM send_time_zones WHERE calling_code <> ALL($1::text[])', [
		[...zones.keys()],
	]);

	// The first server to take the row counts; another one booting at the same time waits for it
	// and then finds nothing left to do.
	const counted = await db.withTransaction(async (tx) => {
		const { rows } = await tx.query<{ up_to: string }>(
			'DELETE FROM recipient_click_hours_backfill RETURNING up_to_event_id AS up_to',
		);
		if (!rows.length) return 0;
		const upTo = Number(rows[0].up_to);
		for (let from = 0; from < upTo; from += backfillChunk) {
			await tx.query(
				`SELECT recipient_click_hours_add(array_agg(recipient), array_agg(occurred_at))
				 FROM events
				 WHERE id > $1 AND id <= $2 AND type = 'click' AND recipient IS NOT NULL AND recipient <> ''
				 HAVING count(*) > 0`,
				[from, Math.min(from + backfillChunk, upTo)],
			);
		}
		return upTo;
	});
	if (counted)
		log.info('clicks stored before the best-hour rollup counted into it', { upToEventId: counted });
}

export interface OwnBestHour {
	zone: string;
	/** Null when every click was taken away again (a deleted campaign). */
	hour: number | null;
	clicks: number;
}

/** The precomputed best hour of each recipient that has clicked, in the zone it was counted in. */
export async function readOwnBestHours(
	db: Database,
	recipients: string[],
): Promise<Map<string, OwnBestHour>> {
	const { rows } = await db.query<{ recipient: string } & OwnBestHour>(
		`SELECT recipient, zone, best_hour AS hour, clicks FROM recipient_click_hours
		 WHERE recipient = ANY($1::text[])`,
		[recipients],
	);
	return new Map(rows.map(({ recipient, ...own }) => [recipient, own]));
}
