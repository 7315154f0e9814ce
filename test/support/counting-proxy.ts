import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A pass-through HTTP proxy in front of a server that counts the requests per "METHOD path". */
export interface CountingProxy {
	url: string;
	count(method: string, pathPattern: RegExp): number;
	close(): Promise<void>;
}

export async function startCountingProxy(target: string): Promise<CountingProxy> {
	const seen: string[] = [];
	const upstream = new URL(target);
	const server: Server = createServer((req, res) => {
		seen.push(`${req.method} ${(req.url ?? '').split('?')[0]}`);
		const forward = request(
			{
				hostname: upstream.hostname,
				port: upstream.port,
				method: req.method,
				path: req.url,
				headers: { ...req.headers, host: upstream.host },
			},
			(answer) => {
				res.writeHead(answer.statusCode ?? 502, answer.headers);
				answer.pipe(res);
			},
		);
		forward.on('error', () => res.writeHead(502).end());
		req.pipe(forward);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		count: (method, pattern) =>
			seen.filter((s) => s.startsWith(`${method} `) && pattern.test(s.slice(method.length + 1)))
				.length,
		close: () => new Promise((resolve) => server.close(() => resolve())),
	};
}
