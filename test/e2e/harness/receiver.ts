import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
	method: string;
	path: string;
	headers: Record<string, string | string[] | undefined>;
	body: unknown;
	at: number;
}

/** A local HTTP endpoint standing in for the user's CRM: records every request and answers 200. */
export interface Receiver {
	url: string;
	received: ReceivedRequest[];
	/** Requests to one path. */
	on(path: string): ReceivedRequest[];
	close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
	const received: ReceivedRequest[] = [];
	const server: Server = createServer((req, res) => {
		let raw = '';
		req.setEncoding('utf8');
		req.on('data', (chunk) => (raw += chunk));
		req.on('end', () => {
			let body: unknown = raw;
			try {
				body = raw ? JSON.parse(raw) : undefined;
			} catch {
				// Kept as text.
			}
			received.push({ method: req.method ?? '', path: (req.url ?? '').split('?')[0], headers: req.headers, body, at: Date.now() });
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end('{"ok":true}');
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		received,
		on: (path) => received.filter((r) => r.path === path),
		close: () => new Promise((resolve) => server.close(() => resolve())),
	};
}
