import http from 'node:http';
import https from 'node:https';

export type SendResult = { status: number; retryAfter?: string } | { error: string };

/**
 * POSTs one webhook over keep-alive connections (one pool per dispatcher, as many sockets as its
 * concurrency). The whole exchange is bounded by timeoutMs; redirects are not followed (a 3xx is
 * a failed attempt, as Standard Webhooks recommends). The answer's body is read and discarded.
 * An aborted `signal` ends the attempt at once (the dispatcher could no longer keep its lease).
 */
export function createSender(concurrency: number, timeoutMs: number) {
	const options = { keepAlive: true, maxSockets: concurrency, maxFreeSockets: concurrency, scheduling: 'lifo' as const };
	const agents = { 'http:': new http.Agent(options), 'https:': new https.Agent(options) };

	function send(target: URL, headers: Record<string, string>, body: Buffer, signal?: AbortSignal): Promise<SendResult> {
		return new Promise((resolve) => {
			let settled = false;
			let current: http.ClientRequest | undefined;
			const done = (result: SendResult) => {
				if (settled) return;
				settled = true;
				clearTimeout(timer);
				signal?.removeEventListener('abort', abort);
				resolve(result);
			};
			const giveUp = (error: string) => {
				done({ error });
				current?.destroy();
			};
			const abort = () => giveUp('abandoned: the claim on this delivery could not be renewed');
			const timer = setTimeout(() => giveUp(`no answer within ${timeoutMs} ms`), timeoutMs);
			signal?.addEventListener('abort', abort);
			const transport = target.protocol === 'https:' ? https : http;
			const attempt = (retried: boolean) => {
				const req = transport.request(
					target,
					{
						method: 'POST',
						agent: agents[target.protocol as 'http:' | 'https:'],
						headers: { ...headers, 'content-type': 'application/json', 'content-length': String(body.length) },
					},
					(res) => {
						const retryAfter = res.headers['retry-after'];
						res.on('error', () => done({ error: 'connection lost while reading the answer' }));
						res.on('end', () => done({ status: res.statusCode ?? 0, retryAfter: typeof retryAfter === 'string' ? retryAfter : undefined }));
						res.resume();
					},
				);
				current = req;
				req.on('error', (err: NodeJS.ErrnoException) => {
					// A kept-alive connection the receiver closed just as we reused it: the request almost
					// surely never reached it, so send it once more on a fresh connection (within the same
					// timeout; were it a duplicate after all, it carries the same webhook-id).
					if (!retried && !settled && req.reusedSocket && (err.code === 'ECONNRESET' || err.code === 'EPIPE')) {
						attempt(true);
						return;
					}
					done({ error: describe(err) });
				});
				req.end(body);
			};
			if (signal?.aborted) abort();
			else attempt(false);
		});
	}

	return {
		send,
		close() {
			agents['http:'].destroy();
			agents['https:'].destroy();
		},
	};
}

/** A short reason without the URL (which may carry a token in its query string). */
function describe(err: NodeJS.ErrnoException): string {
	switch (err.code) {
		case 'ECONNREFUSED':
			return 'connection refused';
		case 'ECONNRESET':
			return 'connection reset';
		case 'ENOTFOUND':
		case 'EAI_AGAIN':
			return 'host not found';
		case 'ETIMEDOUT':
			return 'connection timed out';
		default:
			return err.code ? `request failed (${err.code})` : 'request failed';
	}
}
