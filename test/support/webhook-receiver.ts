import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
	headers: IncomingHttpHeaders;
	body: string;
	at: number;
}

/** What the receiver does with the n-th request (0-based): answer a status, or never answer. */
export type Behaviour = (n: number, received: Received) => { status: number; headers?: Record<string, string>; delayMs?: number } | 'hang';

/**
 * A real HTTP server on 127.0.0.1 that stands in for n8n's webhook endpoint: it records every
 * request with its raw body and answers as the test's behaviour says.
 */
export interface Receiver {
	url: string;
	port: number;
	received: Received[];
	behave(behaviour: Behaviour): void;
	/** Resolves when at least `count` requests arrived (rejects after timeoutMs). */
	waitFor(count: number, timeoutMs?: number): Promise<Received[]>;
	close(): Promise<void>;
}

export async function startReceiver(behaviour: Behaviour = () => ({ status: 200 }), port = 0): Promise<Receiver> {
	const received: Received[] = [];
	const hanging: ServerResponse[] = [];
	let current = behaviour;
	let waiters: Array<() => void> = [];
	const server: Server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const entry = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() };
			const n = received.length;
			received.push(entry);
			waiters.forEach((w) => w());
			const answer = current(n, entry);
			if (answer === 'hang') {
				hanging.push(res);
				return;
			}
			if (answer.delayMs) setTimeout(() => res.writeHead(answer.status, answer.headers).end(), answer.delayMs);
			else res.writeHead(answer.status, answer.headers).end();
		});
	});
	server.keepAliveTimeout = 60_000;
	await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
	const actualPort = (server.address() as AddressInfo).port;
	return {
		url: `http://127.0.0.1:${actualPort}/hook`,
		port: actualPort,
		received,
		behave: (b) => (current = b),
		waitFor(count, timeoutMs = 20_000) {
			return new Promise((resolve, reject) => {
				const check = () => {
					if (received.length >= count) {
						clearTimeout(timer);
						waiters = waiters.filter((w) => w !== check);
						resolve(received);
					}
				};
				const timer = setTimeout(() => {
					waiters = waiters.filter((w) => w !== check);
					reject(new Error(`expected ${count} webhook requests, got ${received.length}`));
				}, timeoutMs);
				waiters.push(check);
				check();
			});
		},
		close: () =>
			new Promise<void>((resolve) => {
				hanging.forEach((res) => res.destroy());
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}
