import { open } from 'node:fs/promises';

export interface Line {
	text: string;
	/** Offset of the byte after the line's newline: where the next line starts. */
	end: number;
}

const chunkBytes = 1 << 20;

/**
 * Reads whole lines of a segment from `start`, never past `limit`, at most `maxLines` of them and
 * about `maxBytes`, a chunk at a time: memory stays bounded whatever the segment's size. Bytes after the last
 * newline are not returned (a batch still being written, or torn by a crash).
 */
export async function readLines(
	file: string,
	start: number,
	limit: number,
	maxLines: number,
	maxBytes = 8 << 20,
): Promise<Line[]> {
	const lines: Line[] = [];
	if (start >= limit) return lines;
	const handle = await open(file, 'r');
	try {
		let buffer = Buffer.alloc(Math.min(chunkBytes, limit - start));
		let pos = start;
		while (pos < limit && lines.length < maxLines && pos - start < maxBytes) {
			const want = Math.min(buffer.length, limit - pos);
			const { bytesRead } = await handle.read(buffer, 0, want, pos);
			if (bytesRead === 0) break;
			let lineStart = 0;
			for (;;) {
				const newline = buffer.indexOf(10, lineStart);
				if (newline === -1 || newline >= bytesRead) break;
				lines.push({ text: buffer.toString('utf8', lineStart, newline), end: pos + newline + 1 });
				lineStart = newline + 1;
				if (lines.length >= maxLines) break;
			}
			if (lineStart === 0) {
				// No newline in a whole chunk: one very long line (or the unterminated tail); read more at once.
				if (pos + bytesRead >= limit) break;
				buffer = Buffer.alloc(buffer.length * 2);
				continue;
			}
			pos += lineStart;
		}
		return lines;
	} finally {
		await handle.close();
	}
}
