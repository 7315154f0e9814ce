import type { PoolClient } from 'pg';

/**
 * One row of a binary COPY: its fields as views into pg's read buffer, valid only during the call
 * that hands them (pg reuses the buffer); null for SQL NULL.
 */
export type BinaryRow = Array<Buffer | null>;

/** PGCOPY\n\377\r\n\0, then flags int4 and the header extension's length int4 (0). */
const headerSize = 19;

/**
 * Runs `COPY (statement) TO STDOUT (FORMAT binary)` on `client` (in its transaction, if any) and
 * hands each row to `onRow` as PostgreSQL sends it. Large bytea values arrive as they are stored,
 * where a query's text protocol would send them as hex (twice the bytes, decoded here again): for
 * packed records this halves what crosses the socket and skips two conversions. PostgreSQL sends
 * one CopyData message per row (the header before the first, the trailer after the last).
 */
export function copyRows(
	client: PoolClient,
	statement: string,
	onRow: (row: BinaryRow) => void,
): Promise<void> {
	let headerSeen = false;
	return new Promise<void>((resolve, reject) => {
		/** What onRow threw: reported once the statement is over, so the connection stays in step. */
		let failed: Error | null = null;
		let done = false;
		client.query({
			submit(connection: { query(text: string): void }) {
				connection.query(`COPY (${statement}) TO STDOUT WITH (FORMAT binary)`);
			},
			handleCopyData(msg: { chunk: Buffer }) {
				if (failed) return;
				try {
					let at = 0;
					const data = msg.chunk;
					if (!headerSeen) {
						headerSeen = true;
						at = headerSize + data.readInt32BE(headerSize - 4);
					}
					while (at + 2 <= data.length) {
						const count = data.readInt16BE(at);
						at += 2;
						if (count < 0) return; // the trailer
						const row: BinaryRow = new Array(count);
						for (let f = 0; f < count; f++) {
							const length = data.readInt32BE(at);
							at += 4;
							row[f] = length < 0 ? null : data.subarray(at, at + length);
							if (length > 0) at += length;
						}
						onRow(row);
					}
				} catch (err) {
					failed = err as Error;
				}
			},
			handleCommandComplete() {},
			// an error of the statement, or pg's read timeout (after which nothing more arrives)
			handleError(this: { callback?: (err: Error | null) => void }, err: Error) {
				this.callback?.(err); // clears pg's read timer
				done = true;
				reject(err);
			},
			handleReadyForQuery(this: { callback?: (err: Error | null) => void }) {
				if (done) return;
				this.callback?.(null);
				if (failed) reject(failed);
				else resolve();
			},
		} as never);
	});
}
