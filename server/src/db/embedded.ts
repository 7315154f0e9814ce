import { fsyncSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite, type Extension } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedPostgres {
	connectionString: string;
	stop(): Promise<void>;
}

/**
 * pg_trgm, which the campaign search index needs (migrations/007). Loaded with require: the
 * package exports it only under a subpath, which the server's "node" module resolution cannot type.
 */
function trigramExtension(): Extension {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	return (require('@electric-sql/pglite/contrib/pg_trgm') as { pg_trgm: Extension }).pg_trgm;
}

interface NodeFsStreams {
	fsync?: (stream: { nfd?: number }) => number;
}

/**
 * PGlite starts PostgreSQL with fsync off (-F), its fdatasync is a stub, and its Node file system
 * layer has no fsync at all, so a committed transaction could be lost to an OS crash. Here fsync
 * is on, the WAL is synced with fsync(), and that call reaches the real file.
 */
const durableStartParams = [...PGlite.defaultStartParams.filter((param) => param !== '-F'), '-c', 'wal_sync_method=fsync'];

function makeFsyncReal(db: PGlite): void {
	type Module = { mod?: { FS?: { filesystems?: { NODEFS?: { stream_ops: NodeFsStreams } } } } };
	const streams = (db as unknown as Module).mod?.FS?.filesystems?.NODEFS?.stream_ops;
	if (!streams) throw new Error('embedded PostgreSQL: cannot make fsync durable (unknown PGlite file system layout)');
	streams.fsync ??= (stream) => {
		if (stream.nfd !== undefined) fsyncSync(stream.nfd);
		return 0;
	};
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
	const db = await PGlite.create(dir, { extensions: { pg_trgm: trigramExtension() }, startParams: durableStartParams });
	makeFsyncReal(db);
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
