import { Client } from 'pg';
import { createTestDatabase } from '../../support/env';
import { startTestServer, type TestServer } from '../../support/server';
import { chromeOnAndroid, createCampaignWithLinks, hit } from '../../support/short-links';
import { startTcpRelay, type TcpRelay } from '../../support/tcp-relay';
import { waitFor } from '../../support/wait';

const recipients = [
	{ recipient: '+4915112345678', urls: ['https://shop.example/a'] },
	{ recipient: '+4915112345679', urls: ['https://shop.example/b'] },
];

describe('a database that hangs', () => {
	let relay: TcpRelay;
	let server: TestServer;
	beforeAll(async () => {
		relay = await startTcpRelay(await createTestDatabase());
		server = await startTestServer({
			DATABASE_URL: relay.url,
			REDIRECT_LOOKUP_TIMEOUT_MS: '300',
			CLICK_COMMIT_TIMEOUT_MS: '300',
			LOADER_RETRY_MS: '200',
		});
	});
	afterAll(async () => {
		relay.thaw();
		await server.close();
		await relay.close();
	});

	test('when PostgreSQL stops answering, then an uncached code is answered 503 instead of hanging, a cached one still redirects, and the uncached one redirects once it answers again', async () => {
		const { codes } = await createCampaignWithLinks(server, {}, recipients);
		const [cached, uncached] = codes;
		expect((await hit(`${server.url}/${cached}`, { userAgent: chromeOnAndroid })).status).toBe(302);

		relay.freeze();
		// While frozen the journal's loader cannot store the clicks: do not wait for it.
		const stuck = await hit(`${server.url}/${uncached}`, {
			userAgent: chromeOnAndroid,
			loaded: false,
		});
		expect([stuck.status, stuck.headers.get('retry-after')]).toEqual([503, '30']);
		const known = await hit(`${server.url}/${cached}`, {
			userAgent: chromeOnAndroid,
			loaded: false,
		});
		expect([known.status, known.location]).toEqual([302, 'https://shop.example/a']);

		relay.thaw();
		const back = await waitFor(
			() => hit(`${server.url}/${uncached}`, { userAgent: chromeOnAndroid }),
			{
				what: 'the uncached code to redirect once the database answers',
				until: (res) => res.status === 302,
			},
		);
		expect(back.location).toBe('https://shop.example/b');
	});
});

describe('a code lookup stuck behind a lock', () => {
	let server: TestServer;
	let locker: Client;
	beforeAll(async () => {
		server = await startTestServer({ REDIRECT_LOOKUP_TIMEOUT_MS: '300' });
		locker = new Client({ connectionString: server.databaseUrl });
		await locker.connect();
	});
	afterAll(async () => {
		await locker.end();
		await server.close();
	});

	test('when the links table is locked (a long migration), then an uncached code is answered 503 after REDIRECT_LOOKUP_TIMEOUT_MS and redirects once the lock goes', async () => {
		const { codes } = await createCampaignWithLinks(server, {}, recipients);
		await locker.query('BEGIN');
		await locker.query('LOCK TABLE links IN ACCESS EXCLUSIVE MODE');
		try {
			const res = await hit(`${server.url}/${codes[0]}`, { userAgent: chromeOnAndroid });
			expect(res.status).toBe(503);
		} finally {
			await locker.query('COMMIT');
		}
		const res = await hit(`${server.url}/${codes[0]}`, { userAgent: chromeOnAndroid });
		expect([res.status, res.location]).toEqual([302, 'https://shop.example/a']);
	});
});

describe('bulk work holding the main pool', () => {
	let server: TestServer;
	let locker: Client;
	beforeAll(async () => {
		server = await startTestServer({
			DATABASE_POOL_SIZE: '2',
			DO_NOT_TRACK: 'skip',
			WEBHOOK_DISPATCHER: 'off',
		});
		locker = new Client({ connectionString: server.databaseUrl });
		await locker.connect();
	});
	afterAll(async () => {
		await locker.end();
		await server.close();
	});

	test("when every connection of the main pool is busy, then codes are still read through the redirect's own pool", async () => {
		const { codes } = await createCampaignWithLinks(server, {}, recipients);
		await locker.query('BEGIN');
		await locker.query('LOCK TABLE webhook_subscriptions IN ACCESS EXCLUSIVE MODE');
		// Both connections of the main pool wait on the lock (bulk work that takes long).
		let bulkDone = false;
		const bulk = Promise.all(
			[1, 2].map((n) => server.db.query(`SELECT ${n} FROM webhook_subscriptions`)),
		).finally(() => (bulkDone = true));
		// (Polled from another connection: inside the locker's transaction the view would not change.)
		await waitFor(
			() =>
				server.sql(
					`SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%FROM webhook_subscriptions'`,
				),
			{
				what: 'both main pool connections to wait on the lock',
				until: (rows) => rows.length === 2,
			},
		);

		// A visitor with Do-Not-Track (DO_NOT_TRACK=skip): the redirect only reads the code.
		const res = await hit(`${server.url}/${codes[1]}`, {
			userAgent: chromeOnAndroid,
			headers: { dnt: '1' },
		});
		expect([res.status, res.location, bulkDone]).toEqual([302, 'https://shop.example/b', false]);

		await locker.query('COMMIT');
		await bulk;
	});
});
