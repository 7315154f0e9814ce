import type { Queryable } from '../db';
import type { WinnerReport } from '../ab-tests/report';
import { eventTypes, type EventType } from './types';
import type { z } from 'zod';
import type { eventView } from './schemas';

/** An event as the API shows it (GET /api/v1/campaigns/:id/events). */
/** An event as the API shows it (events/schemas.ts). */
export type EventView = z.output<typeof eventView>;

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
	/** Joined from recipient_metadata where the query reads it. */
	recipient_metadata?: Record<string, unknown> | null;
	/** A winner event's report, joined from its campaign (winnerReportColumn) where the query reads it. */
	winner_report?: WinnerReport | null;
}

/**
 * The select-list entry that gives a `winner` event its report: the decision its campaign
 * recorded with it (decided once, never changed), so the event row itself stays lean.
 */
export const winnerReportColumn = (event: string, campaign: string) =>
	`CASE WHEN ${event}.type = 'winner' THEN ${campaign}.ab_test_decision END AS winner_report`;

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
		recipientMetadata: row.recipient_metadata ?? null,
	};
	if (row.type === 'conversion') {
		view.conversion = {
			name: row.conversion_name,
			value: row.conversion_value === null ? null : Number(row.conversion_value),
			currency: row.conversion_currency,
		};
	}
	if (row.type === 'winner' && row.winner_report) view.winner = row.winner_report;
	return view;
}

export interface EventsQuery {
	types?: EventType[];
	recipient?: string;
	wave?: string;
	/** occurred_at from (inclusive) … to (exclusive). */
	from?: Date;
	to?: Date;
	limit: number;
	after?: string;
}

/**
 * One page of a campaign's events in the order they were stored (by id), after the cursor (the
 * last id of the previous page). New events only ever appear after the last page. A recipient is
 * read through events_campaign_recipient; a time range through events_campaign_type_time (every
 * type listed when none is asked for, so the index serves the range).
 */
export async function listEvents(
	db: Queryable,
	campaignId: string,
	opts: EventsQuery,
): Promise<{ events: EventView[]; nextCursor: string | null }> {
	const params: unknown[] = [campaignId];
	const param = (value: unknown) => `$${params.push(value)}`;
	const where = ['e.campaign_id = $1'];
	const types = opts.types ?? (opts.from || opts.to ? [...eventTypes] : undefined);
	if (types) where.push(`e.type = ANY (${param(types)}::text[])`);
	if (opts.after !== undefined) where.push(`e.id > ${param(opts.after)}::bigint`);
	if (opts.recipient !== undefined) where.push(`e.recipient = ${param(opts.recipient)}`);
	if (opts.wave !== undefined) where.push(`e.wave = ${param(opts.wave)}`);
	if (opts.from) where.push(`e.occurred_at >= ${param(opts.from)}`);
	if (opts.to) where.push(`e.occurred_at < ${param(opts.to)}`);
	const { rows } = await db.query<EventRow>(
		`SELECT p.*, m.metadata AS recipient_metadata, ${winnerReportColumn('p', 'c')}
		 FROM (
		   SELECT e.id::text AS id, e.type, e.occurred_at, e.code, e.recipient, e.variant, e.wave, e.url, e.click_id, e.device_type,
		          e.os, e.browser, e.country, e.conversion_name, e.conversion_value::text, e.conversion_currency, e.id AS n
		   FROM events e
		   WHERE ${where.join(' AND ')}
		   ORDER BY e.id
		   LIMIT ${param(opts.limit + 1)}
		 ) p
		 LEFT JOIN recipient_metadata m ON m.campaign_id = $1 AND m.recipient = p.recipient
		 LEFT JOIN campaigns c ON c.id = $1 AND p.type = 'winner'
		 ORDER BY p.n`,
		params,
	);
	const more = rows.length > opts.limit;
	const page = more ? rows.slice(0, opts.limit) : rows;
	return { events: page.map(toEventView), nextCursor: more ? page[page.length - 1].id : null };
}
