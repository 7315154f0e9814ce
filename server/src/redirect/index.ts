import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppConfig } from '../config';
import type { Database, Queryable } from '../db';
import { openJournal, type Journal } from '../journal';
import type { Logger } from '../log';
import type { RedirectOutcome } from '../metrics/outcomes';
import { createClientAddress } from '../shared/client-address';
import { createClassifier } from './classify';
import { createEventRecorder, type EventRecorder } from './event-recorder';
import { createRedirectHandler } from './handler';
import { createLinkCache, type LinkCache } from './link-cache';
import { createCodeMatcher } from './paths';
import { createRecordingCap } from './recording-cap';

export interface Redirect {
	/** Handles the request when it asks for a short code and returns true; false: not a redirect. */
	handle(req: IncomingMessage, res: ServerResponse): boolean;
	recorder: EventRecorder;
	links: LinkCache;
	/** The click journal (DATA_DIR/journal) and its loader. */
	journal: Journal;
	/** Hits redirected without being recorded (REDIRECT_RECORD_LIMIT) since the process started. */
	recordingCapped(): number;
	/** Flushes pending events and loads them (graceful shutdown; bounded while the database fails). */
	close(timeoutMs?: number): Promise<void>;
}

/**
 * Wires the redirect: code matcher, link cache, classifier, recorder with its click journal.
 * The caller holds the DATA_DIR lock (journal/lock.ts). `lookups`: the redirect's own pool for
 * reading codes; `db`: the one events are written through.
 */
export function createRedirect(deps: {
	config: AppConfig;
	db: Database;
	lookups: Queryable;
	log: Logger;
	redirectOutcome?: (outcome: RedirectOutcome, seconds: number) => void;
}): Redirect {
	const { config, db, lookups, log } = deps;
	const journal = openJournal({
		dataDir: config.dataDir,
		db,
		log,
		segmentBytes: config.redirect.journalSegmentBytes,
		loaderBatchSize: config.redirect.loaderBatchSize,
		retryMs: config.redirect.loaderRetryMs,
	});
	const recorder = createEventRecorder({
		db,
		journal,
		log,
		batchSize: config.redirect.clickBatchSize,
		commitTimeoutMs: config.redirect.clickCommitTimeoutMs,
	});
	const links = createLinkCache(lookups, {
		size: config.redirect.linkCacheSize,
		ttlMs: config.redirect.linkCacheTtlMs,
	});
	const match = createCodeMatcher(config.codeLength);
	const recordingCap = createRecordingCap(config.redirect.recordLimit);
	const handler = createRedirectHandler({
		config: {
			...config.redirect,
			fallbackUrl: config.fallbackUrl,
			publicBaseUrl: config.publicBaseUrl,
		},
		links,
		recorder,
		recordingCap,
		classify: createClassifier(),
		clientAddress: createClientAddress(config.trustProxy),
		log,
		redirectOutcome: deps.redirectOutcome,
	});
	return {
		handle(req, res) {
			const code = match(req.method, req.url);
			if (code === undefined) return false;
			handler(req, res, code);
			return true;
		},
		recorder,
		links,
		journal,
		recordingCapped: () => recordingCap.capped,
		close: (timeoutMs) => recorder.close(timeoutMs),
	};
}
