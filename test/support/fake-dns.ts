import { createSocket } from 'node:dgram';
import type { AddressInfo } from 'node:net';

export interface FakeDns {
	/** host:port to give WEBHOOK_DNS_SERVERS. */
	server: string;
	/** Names asked for an A record, in order. */
	queries: string[];
	close(): Promise<void>;
}

/**
 * A DNS server on 127.0.0.1 (UDP) that answers the n-th A query (0-based) with the IPv4
 * addresses `answer(n, name)` gives, TTL 0; AAAA and other types get an empty answer.
 */
export async function startFakeDns(
	answer: (n: number, name: string) => string[],
): Promise<FakeDns> {
	const socket = createSocket('udp4');
	const queries: string[] = [];
	socket.on('message', (msg, peer) => {
		// Header (12 bytes), then the question: labels, a zero byte, type and class.
		let at = 12;
		const labels: string[] = [];
		while (msg[at] !== 0) {
			labels.push(msg.subarray(at + 1, at + 1 + msg[at]).toString('ascii'));
			at += msg[at] + 1;
		}
		const questionEnd = at + 5;
		const type = msg.readUInt16BE(at + 1);
		const name = labels.join('.');
		const addresses = type === 1 ? answer(queries.push(name) - 1, name) : [];
		const header = Buffer.alloc(12);
		msg.copy(header, 0, 0, 2); // id
		header.writeUInt16BE(0x8180, 2); // response, recursion desired and available, no error
		header.writeUInt16BE(1, 4);
		header.writeUInt16BE(addresses.length, 6);
		const records = addresses.map((address) => {
			const record = Buffer.alloc(16);
			record.writeUInt16BE(0xc00c, 0); // the name: a pointer to the question's
			record.writeUInt16BE(1, 2); // A
			record.writeUInt16BE(1, 4); // IN
			record.writeUInt32BE(0, 6); // TTL 0: ask again every time
			record.writeUInt16BE(4, 10);
			address.split('.').forEach((part, i) => record.writeUInt8(Number(part), 12 + i));
			return record;
		});
		socket.send(
			Buffer.concat([header, msg.subarray(12, questionEnd), ...records]),
			peer.port,
			peer.address,
		);
	});
	await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
	return {
		server: `127.0.0.1:${(socket.address() as AddressInfo).port}`,
		queries,
		close: () => new Promise((resolve) => socket.close(() => resolve())),
	};
}
