import type { Response } from 'express';
import type { LiveEvent } from '../events/recent';

/** A stream whose client reads slower than this much buffered output is ended (it resumes with Last-Event-ID). */
const maxBufferedBytes = 1 << 20;
/** What an EventSource waits before it reconnects. */
const retryMs = 2_000;

/**
 * One text/event-stream response: each event as `id:` (the event's id, which a client sends back
 * as Last-Event-ID) and one JSON `data:` line; comments as heartbeats, so proxies and clients see
 * an idle stream is alive.
 */
export class EventStream {
	private lastId = 0n;
	private heartbeat: NodeJS.Timeout;
	ended = false;

	constructor(
		private readonly res: Response,
		heartbeatMs: number,
		private readonly onEnd: () => void,
	) {
		res.status(200);
		res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
		res.setHeader('Cache-Control', 'no-store');
		res.setHeader('Connection', 'keep-alive');
		res.setHeader('X-Accel-Buffering', 'no'); // nginx: pass each event on at once
		res.flushHeaders();
		res.write(`retry: ${retryMs}\n\n`);
		this.heartbeat = setInterval(() => this.write(': heartbeat\n\n'), heartbeatMs);
		this.heartbeat.unref();
		res.on('close', () => this.finish());
	}

	/** Sends events newer than the last one sent, in order. */
	send(events: LiveEvent[]): void {
		let text = '';
		for (const event of events) {
			const id = BigInt(event.id);
			if (id <= this.lastId) continue;
			this.lastId = id;
			text += `id: ${event.id}\ndata: ${JSON.stringify(event)}\n\n`;
		}
		if (text) this.write(text);
	}

	/** Counts as sent already: events up to `id` (a resuming client's Last-Event-ID). */
	skipTo(id: string): void {
		if (BigInt(id) > this.lastId) this.lastId = BigInt(id);
	}

	/** A message of another type than the events' ("ready", "end"), with a JSON body. */
	notice(type: string, data: object): void {
		this.write(`event: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
	}

	/** Tells the client why the stream ends (it reconnects, to this or another instance), then ends it. */
	end(reason: string): void {
		if (this.ended) return;
		this.res.end(`event: end\ndata: ${JSON.stringify({ reason })}\n\n`);
		this.finish();
	}

	private write(text: string): void {
		if (this.ended) return;
		this.res.write(text);
		if (this.res.writableLength > maxBufferedBytes) this.end('slow_client');
	}

	private finish(): void {
		if (this.ended) return;
		this.ended = true;
		clearInterval(this.heartbeat);
		this.onEnd();
	}
}
