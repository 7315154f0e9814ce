import type { Queryable } from '../db';
import type { EventType } from './types';

/** An event as the API shows it (GET /api/v1/campaigns/:id/events). */
export interface EventView {
	id: string;
	type: EventType;
	occurredAt: string;
	code: string | null;
	recipient: string | null;
	variant: string | null;
	/** The send wave of the event's link or message. */
	wave: string | null;
	url: string | null;
	clickId: string | null;
	device: { type: string | null; os: string | null; browser: string | null };
	country: string | null;
	conversion?: { name: string | null; value: number | null; currency: string | null };
}

/** The events columns toEventView reads (other queries join more columns beside them). */
export interface EventRow {
	id: string;
	type: EventType;
	occurred_at: Date;
	code: string | null;
	recipient: string | null;
	variant: string | null;
	wave: string | null;
	url: string | null;
	click_id: string | null;
	device_type: string | null;
	os: string | null;
	browser: string | null;
	country: string | null;
	conversion_name: string | null;
	conversion_value: string | null;
	conversion_currency: string | null;
}

export function toEventView(row: EventRow): EventView {
	const view: EventView = {
		id: row.id,
		type: row.type,
		occurredAt: row.occurred_at.toISOString(),
		code: row.code,
		recipient: row.recipient,
		variant: row.variant,
		wave: row.wave,
		url: row.url,
		clickId: row.click_id,
		device: { type: row.device_type, os: row.os, browser: row.browser },
		country: row.country,
	};
	if (row.type === 'conversion') {
		view.conversion = {
			name: row.conversion_name,
			value: row.conversion_value === null ? null : Number(row.conversion_value),
			currency: row.conversion_currency,
		};
	}
	return view;
}

/**
 * One page of a campaign's events in the order they were stored (by id), after the cursor (the
 * last id of the previous page). New events only ever appear after the last page.
 */
export async function listEvents(
	db: Queryable,
	campaignId: string,
	opts: { types?: EventType[]; wave?: string; limit: number; after?: string },
): Promise<{ events: EventView[]; nextCursor: string | null }> {
	const { rows } = await db.query<EventRow>(
		`SELECT events.id::text AS id, type, occurred_at, code, recipient, variant, wave, url, click_id, device_type, os,
		        browser, country, conversion_name, conversion_value::text, conversion_currency
		 FROM events
		 WHERE campaign_id = $1 AND ($2::text[] IS NULL OR type = ANY ($2)) AND ($3::bigint IS NULL OR id > $3)
		   AND ($5::text IS NULL OR wave = $5)
		 ORDER BY events.id
		 LIMIT $4`,
		[campaignId, opts.types ?? null, opts.after ?? null, opts.limit + 1, opts.wave ?? null],
	);
	const more = rows.length > opts.limit;
	const page = more ? rows.slice(0, opts.limit) : rows;
	return { events: page.map(toEventView), nextCursor: more ? page[page.length - 1].id : null };
}
