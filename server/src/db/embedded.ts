import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedPostgres {
	connectionString: string;
	stop(): Promise<void>;
}

/**
 * A real PostgreSQL (PGlite, compiled to WebAssembly) inside this process, exposed over the wire
 * protocol on a loopback port so that 'pg', the pool and the migrations run unchanged.
 * The socket server multiplexes several connections onto the one PGlite instance and keeps a
 * transaction's statements together.
 */
export async function startEmbeddedPostgres(dataDir: string, maxConnections: number): Promise<EmbeddedPostgres> {
	const dir = path.join(dataDir, 'pglite');
	mkdirSync(dir, { recursive: true });
	const db = await PGlite.create(dir);
	const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: maxConnections + 2 });
	await server.start();
	const connectionString = `postgres://postgres@${server.getServerConn()}/postgres?sslmode=disable`;
	return {
		connectionString,
		async stop() {
			await server.stop();
			await db.close();
		},
	};
}
