import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A TCP relay in front of PostgreSQL that can freeze: while frozen it accepts connections and
 * takes bytes in both directions but passes nothing on, as a database that hangs (stopped
 * process, dead network path) looks to its clients. Thawing passes on what was held.
 */
export interface TcpRelay {
	/** The target URL with host and port replaced by the relay's. */
	url: string;
	freeze(): void;
	thaw(): void;
	close(): Promise<void>;
}

export async function startTcpRelay(targetUrl: string): Promise<TcpRelay> {
	const target = new URL(targetUrl);
	const sockets = new Set<Socket>();
	let frozen = false;
	const held: Array<() => void> = [];

	const pipe = (from: Socket, to: Socket) =>
		from.on('data', (chunk) => {
			if (frozen) held.push(() => to.write(chunk));
			else to.write(chunk);
		});

	const server: Server = createServer((client) => {
		const upstream = connect(Number(target.port || 5432), target.hostname);
		for (const socket of [client, upstream]) {
			sockets.add(socket);
			socket.on('error', () => undefined);
			socket.on('close', () => {
				sockets.delete(socket);
				client.destroy();
				upstream.destroy();
			});
		}
		pipe(client, upstream);
		pipe(upstream, client);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const relayed = new URL(targetUrl);
	relayed.hostname = '127.0.0.1';
	relayed.port = String((server.address() as { port: number }).port);
	return {
		url: relayed.toString(),
		freeze: () => {
			frozen = true;
		},
		thaw: () => {
			frozen = false;
			for (const release of held.splice(0)) release();
		},
		close: () =>
			new Promise<void>((resolve) => {
				for (const socket of sockets) socket.destroy();
				server.close(() => resolve());
			}),
	};
}
