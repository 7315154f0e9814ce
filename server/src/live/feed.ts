import type { Response } from 'express';
import type { Database } from '../db';
import { liveEventsBetween } from '../events/recent';
import { HttpError } from '../http/errors';
import type { Logger } from '../log';
import { createLiveHub } from './hub';
import { EventStream } from './stream';

export interface LiveFeedOptions {
	/** Most open streams in this process; one more is refused with 503. */
	maxConnections: number;
	heartbeatMs: number;
}

/** A new stream starts with this many of the campaign's latest events, so the feed is not empty. */
const recentOnOpen = 20;
/** A resuming stream gets at most this many of the events it missed (the newest of them). */
const missedOnResume = 500;
/** What a refused client is told to wait before it tries again. */
const retryAfterSeconds = 5;

export const tooManyStreams = () =>
	new HttpError(
		503,
		'too_many_streams',
		'This server has as many live streams open as it allows; try again shortly',
	);

/**
 * The live streams of this process: bounded, fed by one hub, ended on shutdown. Opening checks the
 * bound before anything waits, so a burst of clients cannot overshoot it.
 */
export function createLiveFeed(db: Database, log: Logger, options: LiveFeedOptions) {
	const hub = createLiveHub(db, log);
	const streams = new Set<EventStream>();
	let closed = false;

	return {
		/** Streams `campaignId`'s events on `res` until the client leaves or the server stops. */
		async open(res: Response, campaignId: string, lastEventId: string | undefined): Promise<void> {
			if (closed || streams.size >= options.maxConnections) {
				res.setHeader('Retry-After', String(retryAfterSeconds));
				throw tooManyStreams();
			}
			let unsubscribe: (() => void) | undefined;
			const stream: EventStream = new EventStream(res, options.heartbeatMs, () => {
				streams.delete(stream);
				unsubscribe?.();
			});
			streams.add(stream);
			if (lastEventId) stream.skipTo(lastEventId);
			try {
				unsubscribe = await hub.subscribe(
					{ campaignId, deliver: (events) => stream.send(events) },
					async (upTo) => {
						const range = lastEventId
							? { after: lastEventId, upTo, limit: missedOnResume, newest: true }
							: { after: '0', upTo, limit: recentOnOpen, newest: true };
						stream.send(await liveEventsBetween(db, [campaignId], range));
					},
				);
				if (stream.ended) unsubscribe();
				// What came before this was stored before the stream opened (the latest or the missed events).
				else stream.notice('ready', {});
			} catch (err) {
				log.warn('live stream could not start', { reqId: res.locals.reqId, err });
				stream.end('error');
			}
		},
		/** Streams open now (for operations and tests). */
		size: () => streams.size,
		following: () => hub.following(),
		/** Ends every stream (clients reconnect elsewhere) and stops following the events table. */
		async close(): Promise<void> {
			closed = true;
			for (const stream of [...streams]) stream.end('shutdown');
			await hub.close();
		},
	};
}

export type LiveFeed = ReturnType<typeof createLiveFeed>;
