import { mkdirSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { segmentName, syncDirectory } from './segments';

interface Waiting {
	data: string;
	resolve(): void;
	reject(err: unknown): void;
}

/** The end of what is on disk: everything before (seq, size) is flushed. */
export interface DurableMark {
	seq: number;
	size: number;
}

/**
 * Appends lines to the journal's current segment with group commit: the lines that arrive while a
 * write + fdatasync runs are written together by the next one (no timer), and each append resolves
 * once its bytes are on disk. A short write is continued until every byte is written. On an error
 * the segment is cut back to its last whole batch and the next batch opens a new segment, so a
 * torn batch never glues onto the lines behind it. A segment past `segmentBytes` is closed and the
 * next batch starts the next one.
 */
export class JournalWriter {
	private file: FileHandle | undefined;
	private seq: number;
	private size = 0;
	private waiting: Waiting[] = [];
	private flushing: Promise<void> | undefined;
	private bytesWritten = 0;

	constructor(
		private readonly dir: string,
		firstSeq: number,
		private readonly segmentBytes: number,
		private readonly onFlushed: () => void,
	) {
		this.seq = firstSeq;
	}

	/** The segment being written (none yet: the next one to be opened). */
	get currentSeq(): number {
		return this.seq;
	}

	get durable(): DurableMark {
		return { seq: this.seq, size: this.size };
	}

	/** Bytes flushed since the process started. */
	get flushedBytes(): number {
		return this.bytesWritten;
	}

	append(data: string): Promise<void> {
		return new Promise((resolve, reject) => {
			this.waiting.push({ data, resolve, reject });
			if (!this.flushing) this.flushing = this.flushAll();
		});
	}

	/** Waits for pending appends, then closes the segment. */
	async close(): Promise<void> {
		while (this.flushing) await this.flushing;
		await this.file?.close().catch(() => undefined);
		this.file = undefined;
	}

	private async flushAll(): Promise<void> {
		while (this.waiting.length > 0) {
			const batch = this.waiting;
			this.waiting = [];
			try {
				await this.write(Buffer.from(batch.map((w) => w.data).join('')));
				for (const w of batch) w.resolve();
			} catch (err) {
				for (const w of batch) w.reject(err);
			}
			this.onFlushed();
		}
		this.flushing = undefined;
	}

	private async write(bytes: Buffer): Promise<void> {
		if (!this.file) await this.openSegment();
		const file = this.file!;
		const before = this.size;
		try {
			let done = 0;
			while (done < bytes.length) {
				const { bytesWritten } = await file.write(bytes, done, bytes.length - done, before + done);
				if (bytesWritten <= 0) throw new Error('journal write made no progress');
				done += bytesWritten;
			}
			await file.datasync();
		} catch (err) {
			await this.abandon(file, before);
			throw err;
		}
		this.size = before + bytes.length;
		this.bytesWritten += bytes.length;
		if (this.size >= this.segmentBytes) {
			this.file = undefined;
			this.seq++;
			this.size = 0;
			await file.close().catch(() => undefined);
		}
	}

	/** Cuts the segment back to its last whole batch and leaves it; an empty one is reused. */
	private async abandon(file: FileHandle, size: number): Promise<void> {
		await file.truncate(size).catch(() => undefined);
		await file.datasync().catch(() => undefined);
		await file.close().catch(() => undefined);
		this.file = undefined;
		if (size > 0) {
			this.seq++;
			this.size = 0;
		}
	}

	private async openSegment(): Promise<void> {
		mkdirSync(this.dir, { recursive: true, mode: 0o700 });
		this.file = await open(path.join(this.dir, segmentName(this.seq)), 'w', 0o600);
		this.size = 0;
		syncDirectory(this.dir);
	}
}
