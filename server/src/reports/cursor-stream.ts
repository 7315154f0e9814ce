import type { Response } from 'express';
import type { Database } from '../db';
import { writeChunk } from './csv';

/** Rows fetched per round trip: a few MB of CSV at most, whatever the size of the export. */
export const fetchRows = 5_000;

/**
 * Streams the rows of one statement to the response through a server-side cursor (DECLARE … FETCH)
 * in a read-only REPEATABLE READ transaction: one snapshot and one scan for the whole file, and
 * memory bounded by one batch, whether the export has a hundred rows or ten million. Rows come as
 * arrays of text (the statement casts every column to text), so no dates or numbers are parsed
 * only to be printed again. The response must have its headers and first line written already.
 */
export async function streamRows(
	db: Database,
	res: Response,
	sql: { text: string; params: unknown[] },
	toLine: (row: Array<string | null>) => string,
): Promise<void> {
	const client = await db.connect();
	let broken: Error | undefined;
	try {
		await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
		await client.query(`DECLARE export_rows NO SCROLL CURSOR FOR ${sql.text}`, sql.params);
		for (;;) {
			const { rows } = await client.query<Array<string | null>>({
				text: `FETCH ${fetchRows} FROM export_rows`,
				rowMode: 'array',
			} as never);
			if (rows.length === 0) break;
			let chunk = '';
			for (const row of rows) chunk += toLine(row);
			if (!(await writeChunk(res, chunk))) break; // the client went away: stop reading
			if (rows.length < fetchRows) break;
		}
		await client.query('COMMIT');
	} catch (err) {
		broken = err as Error;
		await client.query('ROLLBACK').catch(() => undefined);
		res.destroy(); // headers are out: the client sees a cut transfer, never a file that looks whole
		throw err;
	} finally {
		client.release(broken);
	}
}
