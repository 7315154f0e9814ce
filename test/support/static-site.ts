import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StaticSite {
	/** http://127.0.0.1:<port> */
	url: string;
	port: number;
	/** Every request the site answered, in order (method and URL). */
	requests: Array<{ method: string; url: string }>;
	close(): Promise<void>;
}

/**
 * A tiny web site on 127.0.0.1 for browser tests (a shop's landing and confirmation pages).
 * Pages are functions of the request so they can embed URLs known only after both servers started.
 */
export async function serveSite(pages: Record<string, (req: IncomingMessage) => string>): Promise<StaticSite> {
	const requests: StaticSite['requests'] = [];
	const server = createServer((req, res) => {
		requests.push({ method: req.method ?? 'GET', url: req.url ?? '/' });
		const page = pages[new URL(req.url ?? '/', 'http://site').pathname];
		if (!page) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
		res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(page(req));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const port = (server.address() as AddressInfo).port;
	return {
		url: `http://127.0.0.1:${port}`,
		port,
		requests,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}
