import { startTestServer, type TestServer } from '../../support/server';

let server: TestServer;
beforeAll(async () => {
	server = await startTestServer({ DATABASE_STATEMENT_TIMEOUT_MS: '300' });
});
afterAll(() => server.close());

test('when a statement on the main pool runs past DATABASE_STATEMENT_TIMEOUT_MS, then PostgreSQL cancels it and the pool goes on working', async () => {
	await expect(server.db.query('SELECT pg_sleep(30)')).rejects.toMatchObject({ code: '57014' });
	await expect(
		server.db.withTransaction((tx) => tx.query('SELECT pg_sleep(30)')),
	).rejects.toMatchObject({ code: '57014' });
	expect((await server.db.query<{ ok: number }>('SELECT 1 AS ok')).rows).toEqual([{ ok: 1 }]);
});
