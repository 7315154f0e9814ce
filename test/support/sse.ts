/** One Server-Sent Event as a client sees it. */
export interface SseMessage {
	id?: string;
	event: string;
	data: string;
}

export interface SseClient {
	status: number;
	headers: Headers;
	/** Every message so far (comments left out), in order. */
	messages: SseMessage[];
	/** How many heartbeat comments arrived. */
	comments: number;
	/** Whether the server ended the stream. */
	ended: boolean;
	/** The body when the answer was not a stream (an error). */
	body?: unknown;
	close(): void;
}

/**
 * Opens an event stream with fetch (headers allowed, as in the dashboard) and parses it as the
 * HTML standard says: lines of field: value, a blank line ends a message, ':' starts a comment.
 */
export async function openSse(
	url: string,
	headers: Record<string, string> = {},
): Promise<SseClient> {
	const abort = new AbortController();
	const res = await fetch(url, {
		headers: { accept: 'text/event-stream', ...headers },
		signal: abort.signal,
	});
	const client: SseClient = {
		status: res.status,
		headers: res.headers,
		messages: [],
		comments: 0,
		ended: false,
		close: () => abort.abort(),
	};
	if (!res.headers.get('content-type')?.startsWith('text/event-stream')) {
		const text = await res.text();
		client.body = text ? JSON.parse(text) : undefined;
		client.ended = true;
		return client;
	}
	void (async () => {
		const decoder = new TextDecoder();
		let buffer = '';
		let current: SseMessage = { event: 'message', data: '' };
		let hasData = false;
		try {
			for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
				buffer += decoder.decode(chunk, { stream: true });
				let newline: number;
				while ((newline = buffer.indexOf('\n')) >= 0) {
					const line = buffer.slice(0, newline).replace(/\r$/, '');
					buffer = buffer.slice(newline + 1);
					if (line === '') {
						if (hasData)
							client.messages.push({ ...current, data: current.data.replace(/\n$/, '') });
						current = { event: 'message', data: '' };
						hasData = false;
					} else if (line.startsWith(':')) client.comments++;
					else {
						const colon = line.indexOf(':');
						const field = colon < 0 ? line : line.slice(0, colon);
						const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
						if (field === 'data') {
							current.data += `${value}\n`;
							hasData = true;
						} else if (field === 'id') current.id = value;
						else if (field === 'event') current.event = value;
					}
				}
			}
		} catch {
			// aborted by close()
		}
		client.ended = true;
	})();
	return client;
}

/** The data of the stream's event messages (the default type), parsed. */
export const dataOf = (client: SseClient): any[] =>
	client.messages.filter((m) => m.event === 'message').map((m) => JSON.parse(m.data));
