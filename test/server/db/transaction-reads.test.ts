import { createDatabase, type Database } from '../../../server/src/db';
import { createLogger } from '../../../server/src/log';
import { startTestServer, type TestServer } from '../../support/server';

let server: TestServer;
/** A pool of its own: the server's background work cannot take the connection alongside() needs. */
let db: Database;
beforeAll(async () => {
	server = await startTestServer();
	db = createDatabase(server.databaseUrl, 3, createLogger('silent'));
	await db.query('CREATE TABLE IF NOT EXISTS snapshot_probe (n int)');
});
afterAll(async () => {
	await db.query('DROP TABLE IF EXISTS snapshot_probe');
	await db.close();
	await server.close();
});

const count = async (tx: { query: Database['query'] }) =>
	Number((await tx.query<{ n: string }>('SELECT count(*) AS n FROM snapshot_probe')).rows[0].n);

const pid = async (tx: { query: Database['query'] }) =>
	(await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;

test('when work runs alongside a repeatable-read transaction, then it runs on another connection and sees that snapshot, not rows committed since', async () => {
	const seen = await db.withTransaction(async (tx) => {
		await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
		const before = await count(tx);
		await db.query('INSERT INTO snapshot_probe VALUES (1), (2)');
		const [alongside, here] = await Promise.all([
			tx.alongside(async (other) => ({ n: await count(other), pid: await pid(other) })),
			count(tx),
		]);
		return {
			before,
			alongside: alongside.n,
			here,
			outside: await count(db),
			sameConnection: alongside.pid === (await pid(tx)),
		};
	});
	expect(seen).toEqual({ before: 0, alongside: 0, here: 0, outside: 2, sameConnection: false });
});

test('when bytea rows are copied in binary, then each row arrives with its bytes and its NULLs intact', async () => {
	const rows: Array<Array<string | null>> = [];
	await db.withTransaction((tx) =>
		tx.copyRows(
			"SELECT n::int, CASE WHEN n = 2 THEN NULL ELSE decode(repeat('00ff', n * 40000), 'hex') END, $1::text FROM generate_series(1, 3) n",
			["it's"],
			(row) => rows.push(row.map((field) => field?.toString('hex') ?? null)),
		),
	);
	expect(rows).toEqual(
		[1, 2, 3].map((n) => [
			n.toString(16).padStart(8, '0'),
			n === 2 ? null : '00ff'.repeat(n * 40000),
			Buffer.from("it's").toString('hex'),
		]),
	);
});
