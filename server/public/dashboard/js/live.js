// Follows a campaign's live stream (GET …/live, Server-Sent Events). Read with fetch, not
// EventSource: EventSource cannot send the API key as a header, and the key must stay out of URLs.
// Reconnects by itself and resumes after the last event it saw (Last-Event-ID).
import { session } from './api.js';

const maxBackoffMs = 30_000;

/** Splits a text/event-stream body into messages ({ event, id, data }). */
function parser(onMessage) {
	let buffer = '';
	let message = { event: 'message', id: undefined, data: '' };
	let hasData = false;
	return {
		retry: undefined,
		push(text) {
			buffer += text;
			let newline;
			while ((newline = buffer.indexOf('\n')) >= 0) {
				const line = buffer.slice(0, newline).replace(/\r$/, '');
				buffer = buffer.slice(newline + 1);
				if (line === '') {
					if (hasData) onMessage({ ...message, data: message.data.replace(/\n$/, '') });
					message = { event: 'message', id: message.id, data: '' };
					hasData = false;
					continue;
				}
				if (line.startsWith(':')) continue; // heartbeat
				const colon = line.indexOf(':');
				const field = colon < 0 ? line : line.slice(0, colon);
				const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
				if (field === 'data') {
					message.data += `${value}\n`;
					hasData = true;
				} else if (field === 'event') message.event = value;
				else if (field === 'id') message.id = value;
				else if (field === 'retry' && /^\d+$/.test(value)) this.retry = Number(value);
			}
		},
	};
}

/**
 * Streams `campaignId`'s events until stop() is called.
 * handlers.events(list, { live }): new events, oldest first; live is false for the ones the server
 *   sends on (re)connecting before "ready" (the latest ones, or the ones missed while away).
 * handlers.ready({ resumed }): the server sent what came before; resumed after a reconnect.
 * handlers.state('connecting' | 'live' | 'reconnecting'); handlers.unauthorized().
 */
export function followCampaign(campaignId, handlers) {
	const abort = new AbortController();
	let lastEventId = null;
	let connections = 0;
	let stopped = false;

	const connectOnce = async () => {
		const headers = { accept: 'text/event-stream', authorization: `Bearer ${session.get() ?? ''}` };
		if (lastEventId) headers['last-event-id'] = lastEventId;
		const res = await fetch(`../api/v1/campaigns/${encodeURIComponent(campaignId)}/live`, {
			headers,
			credentials: 'omit',
			cache: 'no-store',
			signal: abort.signal,
		});
		if (res.status === 401) return { unauthorized: true };
		if (!res.ok || !res.body) {
			const after = Number(res.headers.get('retry-after'));
			return { waitMs: Number.isFinite(after) && after > 0 ? after * 1000 : undefined };
		}
		const resumed = connections++ > 0;
		let ready = false;
		const stream = parser((message) => {
			if (message.event === 'ready') {
				ready = true;
				handlers.state('live');
				handlers.ready({ resumed });
			} else if (message.event === 'message') {
				lastEventId = message.id ?? lastEventId;
				handlers.events([JSON.parse(message.data)], { live: ready });
			}
		});
		const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
		for (;;) {
			const { value, done } = await reader.read();
			if (done) break;
			stream.push(value);
		}
		return { waitMs: stream.retry, healthy: ready };
	};

	(async () => {
		let backoff = 1000;
		while (!stopped) {
			handlers.state(connections ? 'reconnecting' : 'connecting');
			let outcome = {};
			try {
				outcome = await connectOnce();
			} catch {
				if (stopped) return;
			}
			if (outcome.unauthorized) return handlers.unauthorized();
			backoff = outcome.healthy ? 1000 : Math.min(backoff * 2, maxBackoffMs);
			if (!stopped) handlers.state('reconnecting');
			await new Promise((resolve) => setTimeout(resolve, outcome.waitMs ?? backoff));
		}
	})();

	return () => {
		stopped = true;
		abort.abort();
	};
}
