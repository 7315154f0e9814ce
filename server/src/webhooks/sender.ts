import http from 'node:http';
import https from 'node:https';
import { guardedLookup, type Resolve } from '../shared/guarded-lookup';
import type { OutboundGuard } from '../shared/outbound-address';

export type SendResult = { status: number; retryAfter?: string } | { error: string };

/**
 * POSTs one webhook over keep-alive connections (one pool per dispatcher, as many sockets as its
 * concurrency). The whole exchange is bounded by timeoutMs; redirects are not followed (a 3xx is
 * a failed attempt, as Standard Webhooks recommends). The answer's body is read and discarded.
 * An aborted `signal` ends the attempt at once (the dispatcher could no longer keep its lease).
 * Every connection passes the outbound guard when it is made (shared/guarded-lookup.ts): a
 * refused address is never connected to. Failures are reported by class only (blocked_address,
 * dns_error, connect_error, timeout), never by the socket's own error: told apart, refused and
 * reset connections would map a network's ports.
 */
export function createSender(concurrency: number, timeoutMs: number, outbound: { guard: OutboundGuard; resolve?: Resolve }) {
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
			const timer = setTimeout(() => giveUp(`timeout: no answer within ${timeoutMs} ms`), timeoutMs);
			signal?.addEventListener('abort', abort);
			const transport = target.protocol === 'https:' ? https : http;
			const port = Number(target.port || (target.protocol === 'https:' ? 443 : 80));
			const literal = outbound.guard.literalRefusal(target);
			if (literal) return done({ error: blocked });
			const lookup = guardedLookup(outbound.guard, port, outbound.resolve);
			const attempt = (retried: boolean) => {
				const req = transport.request(
					target,
					{
						method: 'POST',
						agent: agents[target.protocol as 'http:' | 'https:'],
						lookup,
						headers: { ...headers, 'content-type': 'application/json', 'content-length': String(body.length) },
					},
					(res) => {
						const retryAfter = res.headers['retry-after'];
						res.on('error', () => done({ error: 'connect_error: the connection was lost while reading the answer' }));
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

const blocked = 'blocked_address: the address is not allowed for webhooks (see WEBHOOK_ALLOWED_NETWORKS)';

/** The class of a failed attempt and a fixed text: nothing of the URL, the address or the socket's error. */
function describe(err: NodeJS.ErrnoException): string {
	switch (err.code) {
		case 'EBLOCKED':
			return blocked;
		case 'ENOTFOUND':
		case 'EAI_AGAIN':
		case 'ENODATA':
			return 'dns_error: the host name did not resolve';
		case 'ETIMEDOUT':
			return 'timeout: the connection timed out';
		default:
			return 'connect_error: the connection failed';
	}
}
