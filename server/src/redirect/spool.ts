import { closeSync, fsyncSync, openSync } from 'node:fs';
import { mkdir, open, readdir, readFile, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { NewEvent } from '../events/types';

/**
 * The local safety net for events while the database cannot take them: JSON lines appended to a
 * file under DATA_DIR/spool and flushed to disk (fdatasync) before the caller answers its
 * redirect. replay() moves them into the database later; storing an event is idempotent on its
 * event key, so a replay that is interrupted and repeated stores each event once.
 */
export class Spool {
	private current: FileHandle | undefined;
	/** Name of the file appends go to; set before the file is created, so replay never takes it. */
	private currentName: string | undefined;
	private chain: Promise<unknown> = Promise.resolve();
	private replaying: Promise<number> | undefined;
	private seq = 0;
	private spooled = 0;

	constructor(readonly dir: string) {}

	/** Events appended since the process started (for logs and tests). */
	get appendedCount(): number {
		return this.spooled;
	}

	/** Appends events and flushes them to disk; resolves once they would survive a crash. */
	append(events: NewEvent[]): Promise<void> {
		const lines = events.map((e) => JSON.stringify(e) + '\n').join('');
		return this.serial(async () => {
			if (!this.current) {
				await mkdir(this.dir, { recursive: true });
				const name = `events-${Date.now()}-${process.pid}-${this.seq++}.jsonl`;
				this.currentName = name;
				this.current = await open(path.join(this.dir, name), 'a', 0o600);
				syncDirectory(this.dir);
			}
			await this.current.write(lines);
			await this.current.datasync();
			this.spooled += events.length;
		});
	}

	/** Whether there are spooled events on disk (from this process or an earlier one), the open file included. */
	async hasPending(): Promise<boolean> {
		return this.currentName !== undefined || (await this.files()).length > 0;
	}

	/**
	 * Stores every spooled event through `insert` (in chunks), deleting each file once all of its
	 * events are stored. Appends during a replay go to a new file, replayed next time. Rejects, and
	 * keeps the remaining files, when `insert` fails. Resolves with the number of events replayed.
	 */
	replay(
		insert: (events: NewEvent[]) => Promise<void>,
		chunkSize = 1000,
		onBadLine?: (file: string) => void,
	): Promise<number> {
		if (this.replaying) return this.replaying;
		this.replaying = (async () => {
			await this.serial(() => this.rotate());
			let replayed = 0;
			for (const name of await this.files()) {
				const text = await readFile(path.join(this.dir, name), 'utf8');
				const events: NewEvent[] = [];
				for (const line of text.split('\n')) {
					if (!line) continue;
					try {
						events.push(revive(JSON.parse(line)));
					} catch {
						// Only the last line of a file can be cut short (a crash during the write),
						// and its redirect was never answered.
						onBadLine?.(name);
					}
				}
				for (let i = 0; i < events.length; i += chunkSize)
					await insert(events.slice(i, i + chunkSize));
				await unlink(path.join(this.dir, name));
				syncDirectory(this.dir);
				replayed += events.length;
			}
			return replayed;
		})().finally(() => (this.replaying = undefined));
		return this.replaying;
	}

	/** Closes the open file (its events stay on disk for the next replay). */
	close(): Promise<void> {
		return this.serial(() => this.rotate());
	}

	private async rotate(): Promise<void> {
		const current = this.current;
		this.current = undefined;
		this.currentName = undefined;
		await current?.close();
	}

	private async files(): Promise<string[]> {
		try {
			const names = await readdir(this.dir);
			return names
				.filter((name) => name.endsWith('.jsonl') && name !== this.currentName)
				.sort(byTimeThenName);
		} catch (err) {
			if ((err as { code?: string }).code === 'ENOENT') return [];
			throw err;
		}
	}

	private serial<T>(work: () => Promise<T>): Promise<T> {
		const next = this.chain.then(work, work);
		this.chain = next.catch(() => undefined);
		return next;
	}
}

function byTimeThenName(a: string, b: string): number {
	const time = (name: string) => Number(name.split('-')[1]) || 0;
	return time(a) - time(b) || a.localeCompare(b);
}

function revive(value: NewEvent & { occurredAt: string | Date }): NewEvent {
	if (!value || typeof value.eventKey !== 'string' || typeof value.campaignId !== 'string')
		throw new Error('not an event');
	return { ...value, occurredAt: new Date(value.occurredAt) };
}

/** Makes a created or deleted directory entry durable (a no-op where directories cannot be synced). */
function syncDirectory(dir: string): void {
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
