import type { Queryable } from '../db';
import { maskPhone } from '../shared/phone-mask';
import { toEventView, type EventRow, type EventView } from './list';

/** The event types a live feed shows: what recipients do (deliveries and bots are left out). */
export const liveEventTypes = ['click', 'view', 'conversion'] as const;

/** An event as the live feed sends it: the API's view with the phone number masked and no click id. */
export type LiveEvent = Omit<EventView, 'clickId'> & { campaignId: string };

const columns = `id::text AS id, campaign_id, type, occurred_at, code, recipient, variant, wave, url, click_id,
  device_type, os, browser, country, conversion_name, conversion_value::text, conversion_currency`;

function toLiveEvent(row: EventRow & { campaign_id: string }): LiveEvent {
	const view: Partial<EventView> = toEventView(row);
	delete view.clickId;
	return {
		...(view as LiveEvent),
		campaignId: row.campaign_id,
		recipient: maskPhone(row.recipient),
	};
}

/** The id of the newest stored event ('0' when there is none): where a live feed starts. */
export async function newestEventId(db: Queryable): Promise<string> {
	const { rows } = await db.query<{ id: string }>(
		`SELECT coalesce(max(id), 0)::text AS id FROM events`,
	);
	return rows[0].id;
}

/**
 * The live events of the given campaigns with after < id <= upTo, oldest first, at most `limit`
 * (the newest ones when there are more and `newest` is set; else the oldest).
 */
export async function liveEventsBetween(
	db: Queryable,
	campaignIds: string[],
	range: { after: string; upTo: string; limit: number; newest?: boolean },
): Promise<LiveEvent[]> {
	const { rows } = await db.query<EventRow & { campaign_id: string }>(
		`SELECT * FROM (
		   SELECT ${columns} FROM events
		   WHERE id > $2 AND id <= $3 AND campaign_id = ANY ($1) AND type = ANY ($4)
		   ORDER BY id ${range.newest ? 'DESC' : 'ASC'} LIMIT $5
		 ) picked ORDER BY id::bigint`,
		[campaignIds, range.after, range.upTo, liveEventTypes, range.limit],
	);
	return rows.map(toLiveEvent);
}

/**
 * Which ids exist in the given id ranges (inclusive), in all campaigns, in id order; `wanted`
 * marks the live events of the given campaigns. For finding ids still missing (uncommitted).
 */
export async function storedIdsIn(
	db: Queryable,
	ranges: Array<[bigint, bigint]>,
	campaignIds: string[],
): Promise<Array<{ id: bigint; wanted: boolean }>> {
	if (ranges.length === 0) return [];
	const { rows } = await db.query<{ id: string; wanted: boolean }>(
		`SELECT e.id::text AS id, e.wanted
		 FROM unnest($1::bigint[], $2::bigint[]) AS r (lo, hi)
		 CROSS JOIN LATERAL (
		   SELECT id, (campaign_id = ANY ($3) AND type = ANY ($4)) AS wanted
		   FROM events WHERE id BETWEEN r.lo AND r.hi
		 ) e
		 ORDER BY e.id`,
		[
			ranges.map((r) => r[0].toString()),
			ranges.map((r) => r[1].toString()),
			campaignIds,
			liveEventTypes,
		],
	);
	return rows.map((r) => ({ id: BigInt(r.id), wanted: r.wanted }));
}

/** The live events with the given ids, oldest first. */
export async function liveEventsByIds(db: Queryable, ids: bigint[]): Promise<LiveEvent[]> {
	if (ids.length === 0) return [];
	const { rows } = await db.query<EventRow & { campaign_id: string }>(
		`SELECT ${columns} FROM events WHERE id = ANY ($1::bigint[]) ORDER BY events.id`,
		[ids.map(String)],
	);
	return rows.map(toLiveEvent);
}
