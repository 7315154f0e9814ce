import { randomBytes } from 'node:crypto';
import {
	closeSync,
	fsyncSync,
	mkdirSync,
	openSync,
	readdirSync,
	readFileSync,
	renameSync,
	writeSync,
} from 'node:fs';
import path from 'node:path';

/**
 * The journal's folder: segment files `<sequence>.jsonl` (one JSON event per line, sequence
 * numbers only ever grow within a journal) and `id`, the journal's name in journal_positions.
 */
export const segmentName = (seq: number) => `${String(seq).padStart(12, '0')}.jsonl`;

export function segmentSeq(name: string): number | undefined {
	const match = /^(\d{12})\.jsonl$/.exec(name);
	return match ? Number(match[1]) : undefined;
}

/** Sequence numbers of the segments on disk, oldest first. */
export function listSegments(dir: string): number[] {
	try {
		return readdirSync(dir)
			.map(segmentSeq)
			.filter((seq): seq is number => seq !== undefined)
			.sort((a, b) => a - b);
	} catch (err) {
		if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
		throw err;
	}
}

/** Makes a created, renamed or deleted directory entry durable. */
export function syncDirectory(dir: string): void {
	try {
		const fd = openSync(dir, 'r');
		try {
			fsyncSync(fd);
		} finally {
			closeSync(fd);
		}
	} catch {
		// e.g. Windows: directories cannot be opened for fsync
	}
}

/**
 * The journal's id. An empty journal starts a new one: its positions in the database belong to
 * the old id, so sequence numbers may start again at 1. A journal with segments keeps its id
 * (written atomically: temporary file, fsync, rename).
 */
export function journalId(dir: string, empty: boolean): string {
	const file = path.join(dir, 'id');
	if (!empty) {
		try {
			const id = readFileSync(file, 'utf8').trim();
			if (id) return id;
		} catch (err) {
			if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
		}
	}
	const id = `j_${randomBytes(12).toString('hex')}`;
	mkdirSync(dir, { recursive: true, mode: 0o700 });
	const temporary = `${file}.${process.pid}.tmp`;
	const fd = openSync(temporary, 'w', 0o600);
	try {
		writeSync(fd, `${id}\n`);
		fsyncSync(fd);
	} finally {
		closeSync(fd);
	}
	renameSync(temporary, file);
	syncDirectory(dir);
	return id;
}

/**
 * Files a previous version's click spool left (DATA_DIR/spool/*.jsonl: the same JSON lines) become
 * the journal's first segments, so an upgrade loses none of their events.
 */
export function adoptSpool(spoolDir: string, dir: string, firstSeq: number): number {
	let names: string[];
	try {
		names = readdirSync(spoolDir)
			.filter((n) => n.endsWith('.jsonl'))
			.sort();
	} catch {
		return firstSeq;
	}
	mkdirSync(dir, { recursive: true, mode: 0o700 });
	let seq = firstSeq;
	for (const name of names)
		renameSync(path.join(spoolDir, name), path.join(dir, segmentName(seq++)));
	if (names.length) syncDirectory(dir);
	return seq;
}
