import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connectSql } from '../support/db';
import { startOwnPostgres, type OwnPostgres } from '../support/own-postgres';
import { startTestServer, type TestServer } from '../support/server';
import {
	chromeOnAndroid,
	clickLoad,
	createCampaignWithLinks,
	eventually,
	hit,
} from '../support/short-links';

/**
 * PostgreSQL is really stopped (its own server, on its own port) while redirects go on, then
 * started again: every answered redirect must end up as exactly one event.
 */
let pg: OwnPostgres;
let server: TestServer;
let dataDir: string;
beforeAll(async () => {
	pg = await startOwnPostgres();
	dataDir = mkdtempSync(path.join(tmpdir(), 'sms-fault-'));
	server = await startTestServer({
		DATABASE_URL: pg.url,
		DATA_DIR: dataDir,
		SPOOL_RETRY_MS: '200',
		CLICK_COMMIT_TIMEOUT_MS: '1000',
	});
}, 120_000);
afterAll(async () => {
	await server?.close();
	await pg?.destroy();
});

const recipients = Array.from({ length: 10 }, (_, i) => ({
	recipient: `+4915120000${String(i).padStart(3, '0')}`,
	urls: ['https://shop.example/sale'],
}));

test('when PostgreSQL stops and restarts during load, then cached codes keep redirecting and every answered click is stored exactly once', async () => {
	const { campaignId, codes } = await createCampaignWithLinks(
		server,
		{ conversionTracking: true },
		recipients,
	);
	const urls = codes.map((code) => `${server.url}/${code}`);
	const warm = await clickLoad(urls, { workers: 1, stop: () => false, maxRequests: urls.length });

	let stop = false;
	const load = clickLoad(urls, { workers: 8, stop: () => stop, maxRequests: 5_000 });
	await new Promise((r) => setTimeout(r, 300));
	await pg.stop();
	const during = server.redirect.spool.appendedCount;
	await new Promise((r) => setTimeout(r, 1_000));
	expect(server.redirect.recorder.databaseAvailable).toBe(false);
	// A code nobody asked for yet cannot be looked up: 503, never a guess.
	expect((await hit(`${server.url}/Nn0tCach`, { userAgent: chromeOnAndroid })).status).toBe(503);
	await pg.start();
	await new Promise((r) => setTimeout(r, 500));
	stop = true;
	const result = await load;

	expect(result.failed).toBe(0);
	expect(result.otherStatuses).toEqual({});
	expect(server.redirect.spool.appendedCount).toBeGreaterThan(during); // the outage really hit the redirect path
	const answered = [...warm.answered, ...result.answered];
	expect(answered.length).toBeGreaterThan(50);

	const db = connectSql(pg.url);
	try {
		const stored = async () =>
			db.sql<{ click_id: string }>(
				'SELECT click_id FROM events WHERE campaign_id = $1 AND type = $2',
				[campaignId, 'click'],
			);
		expect(
			await eventually(
				async () =>
					(await stored()).length >= answered.length &&
					readdirSync(path.join(dataDir, 'spool')).length === 0,
				15_000,
			),
		).toBe(true);
		const ids = (await stored()).map((r) => r.click_id);
		expect(ids.length).toBe(answered.length);
		expect(new Set(ids)).toEqual(new Set(answered));
	} finally {
		await db.close();
	}
	expect(server.redirect.recorder.databaseAvailable).toBe(true);
}, 60_000);
