import type { Response } from 'express';
import type { LiveEvent } from '../events/recent';

/** A stream whose client reads slower than this much buffered output is ended (it resumes with Last-Event-ID). */
const maxBufferedBytes = 1 << 20;
/** How many sent ids a stream remembers to send each event once (more than a burst's late events). */
const rememberedIds = 5000;
/** What an EventSource waits before it reconnects. */
const retryMs = 2_000;

/** Each event is serialised once, however many streams send it. */
const serialisedEvents = new WeakMap<LiveEvent, string>();
function serialised(event: LiveEvent): string {
	let json = serialisedEvents.get(event);
	if (json === undefined) serialisedEvents.set(event, (json = JSON.stringify(event)));
	return json;
}

/**
 * One text/event-stream response: each event as one JSON `data:` line with `id:` the highest event
 * id sent so far (which a client sends back as Last-Event-ID: its own id unless it came late);
 * comments as heartbeats, so proxies and clients see an idle stream is alive.
 */
export class EventStream {
	/** The highest event id sent: each message's `id:`, so a resuming client continues after it. */
	private highest = 0n;
	/** Events up to this id count as sent already (a resuming client's Last-Event-ID). */
	private floor = 0n;
	/** Ids sent lately: a late event (one that committed after higher ids) can come after them, and only once. */
	private recent = new Set<string>();
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

	/** Sends the events not sent before, in the order given. */
	send(events: LiveEvent[]): void {
		let text = '';
		for (const event of events) {
			const id = BigInt(event.id);
			if (id <= this.floor || this.recent.has(event.id)) continue;
			this.recent.add(event.id);
			if (this.recent.size > rememberedIds) this.recent.delete(this.recent.values().next().value!);
			if (id > this.highest) this.highest = id;
			text += `id: ${this.highest}\ndata: ${serialised(event)}\n\n`;
		}
		if (text) this.write(text);
	}

	/** Counts as sent already: events up to `id` (a resuming client's Last-Event-ID). */
	skipTo(id: string): void {
		this.floor = BigInt(id);
		this.highest = this.floor;
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
