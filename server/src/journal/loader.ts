import { statSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { isConnectionError, type Database } from '../db';
import { insertEvents } from '../events/store';
import type { NewEvent } from '../events/types';
import type { Logger } from '../log';
import { readLines } from './line-reader';
import { positionWrite, readPosition, savePosition, type Position } from './position-store';
import type { RejectedLines } from './rejected';
import { listSegments, segmentName, syncDirectory } from './segments';
import type { JournalWriter } from './writer';

export interface LoaderOptions {
	db: Database;
	dir: string;
	journalId: string;
	writer: JournalWriter;
	rejected: RejectedLines;
	log: Logger;
	/** Most lines stored in one transaction. */
	batchSize: number;
	/** Wait before trying again after the database failed. */
	retryMs: number;
}

interface Parsed {
	event: NewEvent;
	line: string;
	end: number;
}

/** Data errors (class 22) and constraint violations (class 23): this line will never be stored. */
const isUnstorable = (err: unknown) => /^2[23]/.test((err as { code?: string }).code ?? '');

function revive(line: string): NewEvent {
	const value = JSON.parse(line) as NewEvent & { occurredAt: string };
	if (
		!value ||
		typeof value.eventKey !== 'string' ||
		typeof value.campaignId !== 'string' ||
		typeof value.type !== 'string'
	)
		throw new Error('not an event');
	const occurredAt = new Date(value.occurredAt);
	if (Number.isNaN(occurredAt.getTime())) throw new Error('occurredAt is not a date');
	return { ...value, occurredAt };
}

const after = (a: Position, b: Position) =>
	a.seq > b.seq || (a.seq === b.seq && a.offset >= b.offset);

/**
 * Ships the journal into PostgreSQL: reads the segments in order, line by line from where the last
 * load stopped, and stores up to `batchSize` lines per transaction through events/store.ts (the
 * same statement writes their webhook outbox rows), with the new position in the same
 * transaction, so each line is loaded exactly once even across crashes (and event keys are unique
 * besides). Lines that can never be stored are moved to the rejected file. A segment loaded to its
 * end that is no longer written is deleted. Runs whenever the writer flushed; retries every
 * `retryMs` while the database fails.
 */
export class JournalLoader {
	private position: Position | undefined;
	private running: Promise<void> | undefined;
	private stopping = false;
	private wakeUp: (() => void) | undefined;
	private woken = false;
	private failing = false;
	private lastWarnedAt = 0;
	private loaded = 0;
	private idleWaiters: Array<{ pass: number; resolve(): void }> = [];
	private passes = 0;
	/** Time of each flush not yet loaded, oldest first (for the lag). */
	private flushMarks: Array<{ mark: Position; at: number }> = [];

	constructor(private readonly opts: LoaderOptions) {}

	start(): void {
		this.flushMarks.push({ mark: this.flushedMark(), at: Date.now() });
		this.running = this.run();
	}

	/** Called after each flush: load what it wrote. */
	wake(): void {
		if (this.flushMarks.length < 100_000)
			this.flushMarks.push({ mark: this.flushedMark(), at: Date.now() });
		this.woken = true;
		this.wakeUp?.();
	}

	/** Resolves once everything flushed before the call is loaded, or the database is failing. */
	settled(): Promise<void> {
		return new Promise((resolve) => {
			if (this.failing || this.stopping) return resolve();
			this.idleWaiters.push({ pass: this.passes + 1, resolve });
			this.wake();
		});
	}

	/** Whether the last attempt to load failed (the database is unreachable or failing). */
	get databaseFailing(): boolean {
		return this.failing;
	}

	get eventsLoaded(): number {
		return this.loaded;
	}

	/** Seconds since the oldest flushed batch not yet loaded was flushed; 0 when caught up. */
	get lagSeconds(): number {
		const oldest = this.flushMarks[0];
		return oldest && this.position && !after(this.position, oldest.mark)
			? (Date.now() - oldest.at) / 1000
			: 0;
	}

	/** Bytes of whole segments on disk not loaded yet. */
	get bytesPending(): number {
		const position = this.position ?? { seq: 0, offset: 0 };
		let pending = 0;
		for (const seq of listSegments(this.opts.dir)) {
			if (seq < position.seq) continue;
			const size = this.size(seq);
			pending += Math.max(0, size - (seq === position.seq ? position.offset : 0));
		}
		return pending;
	}

	/** Loads what is flushed (unless the database fails for `timeoutMs`), then stops. */
	async stop(timeoutMs: number): Promise<void> {
		if (!this.running) return;
		let timer: NodeJS.Timeout | undefined;
		await Promise.race([
			this.settled(),
			new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs))),
		]);
		clearTimeout(timer);
		this.stopping = true;
		this.wakeUp?.();
		await Promise.race([
			this.running,
			new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs))),
		]);
		clearTimeout(timer);
		for (const waiter of this.idleWaiters.splice(0)) waiter.resolve();
	}

	private async run(): Promise<void> {
		while (!this.stopping) {
			this.woken = false;
			const pass = ++this.passes;
			try {
				const worked = await this.pass();
				if (this.failing) this.opts.log.info('journal loader: database reachable again');
				this.failing = false;
				if (!worked) {
					this.settle(pass);
					await this.sleep(undefined);
				}
			} catch (err) {
				this.failing = true;
				if (Date.now() - this.lastWarnedAt > 60_000) {
					this.lastWarnedAt = Date.now();
					this.opts.log.warn('journal loader: cannot store events yet; they stay in the journal', {
						err,
					});
				}
				for (const waiter of this.idleWaiters.splice(0)) waiter.resolve();
				await this.sleep(this.opts.retryMs);
			}
		}
	}

	private settle(pass: number): void {
		this.idleWaiters = this.idleWaiters.filter((waiter) => {
			if (waiter.pass > pass) return true;
			waiter.resolve();
			return false;
		});
		this.flushMarks = [];
	}

	private sleep(ms: number | undefined): Promise<void> {
		if (this.woken || this.stopping) return Promise.resolve();
		return new Promise((resolve) => {
			const timer = ms === undefined ? undefined : setTimeout(done, ms);
			function done() {
				clearTimeout(timer);
				resolve();
			}
			this.wakeUp = () => {
				this.wakeUp = undefined;
				done();
			};
		});
	}

	private flushedMark(): Position {
		const { seq, size } = this.opts.writer.durable;
		return { seq, offset: size };
	}

	private size(seq: number): number {
		try {
			return statSync(this.file(seq)).size;
		} catch {
			return 0;
		}
	}

	private file(seq: number): string {
		return path.join(this.opts.dir, segmentName(seq));
	}

	private remove(seq: number): void {
		try {
			unlinkSync(this.file(seq));
		} catch (err) {
			if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
		}
		syncDirectory(this.opts.dir);
	}

	/** Loads one batch; false when there was nothing to load. */
	private async pass(): Promise<boolean> {
		const { db, journalId, writer, batchSize } = this.opts;
		this.position ??= (await readPosition(db, journalId)) ?? { seq: 0, offset: 0 };
		for (const seq of listSegments(this.opts.dir)) {
			const position = this.position;
			if (seq < position.seq) {
				this.remove(seq);
				continue;
			}
			const durable = writer.durable;
			const active = seq === durable.seq;
			const limit = active ? durable.size : this.size(seq);
			const start = seq === position.seq ? position.offset : 0;
			if (start < limit) {
				const lines = await readLines(this.file(seq), start, limit, batchSize);
				if (lines.length > 0) {
					await this.load(seq, lines);
					return true;
				}
				if (active) return false;
				this.opts.log.warn(
					'journal segment ends in a line cut short (a crash during its write; that redirect was never answered)',
					{
						segment: segmentName(seq),
					},
				);
			}
			if (active) return false;
			if (seq > writer.currentSeq) return false;
			this.remove(seq);
		}
		return false;
	}

	private async load(seq: number, lines: Array<{ text: string; end: number }>): Promise<void> {
		const parsed: Parsed[] = [];
		const unreadable: Array<{ line: string; reason: string }> = [];
		for (const { text, end } of lines) {
			try {
				parsed.push({ event: revive(text), line: text, end });
			} catch (err) {
				unreadable.push({ line: text, reason: `unreadable: ${(err as Error).message}` });
			}
		}
		await this.opts.rejected.add(unreadable);
		if (unreadable.length)
			this.opts.log.warn('journal lines rejected', {
				count: unreadable.length,
				segment: segmentName(seq),
			});
		await this.store(seq, parsed, lines[lines.length - 1].end);
	}

	/** Stores the lines and moves the position to `end`; a refused batch is halved until the refused lines are found. */
	private async store(seq: number, items: Parsed[], end: number): Promise<void> {
		const { db, journalId } = this.opts;
		const position = { seq, offset: end };
		try {
			// One statement: the events, their outbox rows and the position commit together. (No
			// explicit transaction: the embedded PostgreSQL serialises every connection's
			// transactions on one session, which would hold every other query meanwhile.)
			if (items.length)
				await insertEvents(
					db,
					items.map((i) => i.event),
					positionWrite(journalId, position, items.length),
				);
			else await savePosition(db, journalId, position);
		} catch (err) {
			if (isConnectionError(err) || !isUnstorable(err) || items.length === 0) throw err;
			if (items.length === 1) {
				const reason = `refused by the database: ${(err as Error).message}`;
				await this.opts.rejected.add([{ line: items[0].line, reason }]);
				this.opts.log.warn('journal line rejected', { reason, segment: segmentName(seq) });
				return this.store(seq, [], end);
			}
			const half = Math.ceil(items.length / 2);
			await this.store(seq, items.slice(0, half), items[half - 1].end);
			return this.store(seq, items.slice(half), end);
		}
		this.position = position;
		this.loaded += items.length;
		while (this.flushMarks.length && after(position, this.flushMarks[0].mark))
			this.flushMarks.shift();
	}
}
