import type { Queryable } from '../db';

/** Where the loader goes on: the first line of segment `seq` at `offset` not yet loaded. */
export interface Position {
	seq: number;
	offset: number;
}

/** The journal's loaded position, or undefined when nothing of it was ever loaded. */
export async function readPosition(
	db: Queryable,
	journalId: string,
): Promise<Position | undefined> {
	const { rows } = await db.query<{ segment: string; byte_offset: string }>(
		'SELECT segment, byte_offset FROM journal_positions WHERE journal_id = $1',
		[journalId],
	);
	return rows[0]
		? { seq: Number(rows[0].segment), offset: Number(rows[0].byte_offset) }
		: undefined;
}

/** Records the position; run it in the transaction that stored the lines before it. */
export async function savePosition(
	tx: Queryable,
	journalId: string,
	position: Position,
	loaded: number,
): Promise<void> {
	await tx.query(
		`INSERT INTO journal_positions (journal_id, segment, byte_offset, events_loaded)
		 VALUES ($1, $2, $3, $4)
		 ON CONFLICT (journal_id) DO UPDATE
		 SET segment = EXCLUDED.segment, byte_offset = EXCLUDED.byte_offset,
		     events_loaded = journal_positions.events_loaded + EXCLUDED.events_loaded, updated_at = now()`,
		[journalId, position.seq, position.offset, loaded],
		'journal-position',
	);
}
