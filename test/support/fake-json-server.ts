import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a fake provider's handler gets for one request: the request, its body and a JSON answer. */
export interface JsonExchange {
	req: IncomingMessage;
	/** The path without its query string. */
	path: string;
	body: string;
	json(status: number, value: unknown): void;
}

/**
 * The plumbing shared by the fake SMS gateways: an HTTP server on an ephemeral port of
 * 127.0.0.1 that reads each request's body and lets `handle` answer it with JSON.
 */
export async function startJsonServer(
	handle: (exchange: JsonExchange) => void | Promise<void>,
): Promise<{ url: string; close(): Promise<void> }> {
	const server = createServer(async (req, res) => {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		await handle({
			req,
			path: (req.url ?? '').split('?')[0],
			body: Buffer.concat(chunks).toString('utf8'),
			json: (status, value) =>
				res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value)),
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		close: () => new Promise((resolve) => server.close(() => resolve())),
	};
}
