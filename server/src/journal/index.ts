import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { Database } from '../db';
import type { NewEvent } from '../events/types';
import type { Logger } from '../log';
import { JournalLoader } from './loader';
import { RejectedLines } from './rejected';
import { adoptSpool, journalId, listSegments } from './segments';
import { JournalWriter } from './writer';

/** What the journal reports (plain getters, for logs, /readyz and metrics). */
export interface JournalStatus {
	/** Bytes flushed to the journal and not loaded into PostgreSQL yet. */
	readonly bytesPending: number;
	/** Age in seconds of the oldest flushed batch not loaded yet (0: caught up). */
	readonly lagSeconds: number;
	/** Events the loader stored since the process started. */
	readonly eventsLoaded: number;
	/** Lines moved to the rejected file since the process started. */
	readonly rejectedLines: number;
}

export interface Journal {
	/** Resolves once the events are on disk (fdatasync); rejects when the journal cannot be written. */
	append(events: NewEvent[]): Promise<void>;
	/** Resolves once everything appended before is loaded into PostgreSQL, or the database is failing. */
	settled(): Promise<void>;
	readonly databaseFailing: boolean;
	readonly status: JournalStatus;
	readonly dir: string;
	/** Flushes, loads what it can within `timeoutMs`, and stops. */
	close(timeoutMs: number): Promise<void>;
}

export interface JournalOptions {
	dataDir: string;
	db: Database;
	log: Logger;
	segmentBytes: number;
	loaderBatchSize: number;
	retryMs: number;
}

/**
 * The click journal under DATA_DIR/journal: the writer appends and fsyncs before redirects are
 * answered, the loader ships the segments into PostgreSQL. The caller holds the DATA_DIR lock.
 */
export function openJournal(opts: JournalOptions): Journal {
	const dir = path.join(opts.dataDir, 'journal');
	const existing = listSegments(dir);
	const id = journalId(dir, existing.length === 0 && !hasSpool(opts.dataDir));
	const next = adoptSpool(
		path.join(opts.dataDir, 'spool'),
		dir,
		(existing[existing.length - 1] ?? 0) + 1,
	);
	const rejected = new RejectedLines(dir);
	let loader: JournalLoader | undefined = undefined;
	const writer = new JournalWriter(dir, next, opts.segmentBytes, () => loader?.wake());
	loader = new JournalLoader({
		db: opts.db,
		dir,
		journalId: id,
		writer,
		rejected,
		log: opts.log,
		batchSize: opts.loaderBatchSize,
		retryMs: opts.retryMs,
	});
	loader.start();
	const running = loader;

	return {
		dir,
		append: (events) => writer.append(events.map((e) => JSON.stringify(e) + '\n').join('')),
		settled: () => running.settled(),
		get databaseFailing() {
			return running.databaseFailing;
		},
		status: {
			get bytesPending() {
				return running.bytesPending;
			},
			get lagSeconds() {
				return running.lagSeconds;
			},
			get eventsLoaded() {
				return running.eventsLoaded;
			},
			get rejectedLines() {
				return rejected.count;
			},
		},
		async close(timeoutMs) {
			await writer.close();
			await running.stop(timeoutMs);
		},
	};
}

/** Whether a previous version's click spool left files (they become this journal's first segments). */
function hasSpool(dataDir: string): boolean {
	try {
		return readdirSync(path.join(dataDir, 'spool')).some((n) => n.endsWith('.jsonl'));
	} catch {
		return false;
	}
}
