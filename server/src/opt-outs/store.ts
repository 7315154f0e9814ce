import type { Queryable } from '../db';
import { notFound } from '../http/errors';

export type OptOutSource = 'api' | 'twilio' | 'seven';

export type { OptOut } from './schemas';
import type { OptOut } from './schemas';

interface Row {
	phone: string;
	source: OptOutSource;
	reason: string | null;
	created_at: Date;
}

const toOptOut = (row: Row): OptOut => ({
	phone: row.phone,
	source: row.source,
	reason: row.reason,
	createdAt: row.created_at.toISOString(),
});

/**
 * Adds phone numbers to the list; one already on it keeps its first entry (when and how it opted
 * out is what a complaint asks for). Returns the numbers that were new.
 */
export async function addOptOuts(
	db: Queryable,
	phones: string[],
	source: OptOutSource,
	reason: string | null,
): Promise<string[]> {
	const { rows } = await db.query<{ phone: string }>(
		`INSERT INTO opt_outs (phone, source, reason)
		 SELECT DISTINCT phone, $2, $3 FROM unnest($1::text[]) AS phone
		 ON CONFLICT (phone) DO NOTHING
		 RETURNING phone`,
		[phones, source, reason],
	);
	return rows.map((r) => r.phone);
}

/** Removes a number (the person opted in again); false when it was not on the list. */
export async function removeOptOut(db: Queryable, phone: string): Promise<boolean> {
	const { rowCount } = await db.query('DELETE FROM opt_outs WHERE phone = $1', [phone]);
	return rowCount > 0;
}

export async function getOptOut(db: Queryable, phone: string): Promise<OptOut> {
	const { rows } = await db.query<Row>(
		'SELECT phone, source, reason, created_at FROM opt_outs WHERE phone = $1',
		[phone],
	);
	if (!rows[0]) throw notFound(`${phone} is not on the opt-out list`);
	return toOptOut(rows[0]);
}

/** Which of these numbers are on the list (one indexed lookup per call, any size up to the caller's cap). */
export async function optedOutAmong(db: Queryable, phones: string[]): Promise<string[]> {
	const { rows } = await db.query<{ phone: string }>(
		'SELECT phone FROM opt_outs WHERE phone = ANY($1::text[]) ORDER BY phone',
		[phones],
	);
	return rows.map((r) => r.phone);
}

/**
 * Newest first. The cursor is the last row's time to the microsecond (a JavaScript Date would cut
 * it to milliseconds and skip rows added in the same millisecond) and its phone number.
 */
export async function listOptOuts(
	db: Queryable,
	{ limit, cursor }: { limit: number; cursor?: { at: string; phone: string } },
): Promise<{ optOuts: OptOut[]; nextCursor: string | null }> {
	const { rows } = await db.query<Row & { at: string }>(
		`SELECT phone, source, reason, created_at,
		        to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at
		 FROM opt_outs
		 WHERE $1::timestamptz IS NULL OR (created_at, phone) < ($1::timestamptz, $2::text)
		 ORDER BY created_at DESC, phone DESC
		 LIMIT $3`,
		[cursor?.at ?? null, cursor?.phone ?? null, limit],
	);
	const last = rows[rows.length - 1];
	return {
		optOuts: rows.map(toOptOut),
		nextCursor: rows.length === limit && last ? `${last.at}|${last.phone}` : null,
	};
}
