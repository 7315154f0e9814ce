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

const upsertSql = (p: number) => `
  INSERT INTO journal_positions (journal_id, segment, byte_offset, events_loaded)
  VALUES ($${p}, $${p + 1}, $${p + 2}, $${p + 3})
  ON CONFLICT (journal_id) DO UPDATE
  SET segment = EXCLUDED.segment, byte_offset = EXCLUDED.byte_offset,
      events_loaded = journal_positions.events_loaded + EXCLUDED.events_loaded, updated_at = now()
  RETURNING 1`;

/**
 * The position as a write to run in the statement that stores the lines before it
 * (events/store.ts insertEvents' `alongside`): both commit together or not at all.
 */
export const positionWrite = (journalId: string, position: Position, loaded: number) => ({
	name: 'journal_position',
	sql: upsertSql,
	values: [journalId, position.seq, position.offset, loaded],
});

/** Records the position alone (a batch whose lines were all rejected). */
export async function savePosition(
	db: Queryable,
	journalId: string,
	position: Position,
): Promise<void> {
	await db.query(upsertSql(1), [journalId, position.seq, position.offset, 0], 'journal-position');
}
