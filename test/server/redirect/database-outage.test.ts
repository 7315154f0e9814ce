import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connectSql } from '../../support/db';
import { startOwnPostgres, type OwnPostgres } from '../../support/own-postgres';
import { startTestServer, type TestServer } from '../../support/server';
import {
	chromeOnAndroid,
	clickLoad,
	createCampaignWithLinks,
	hit,
	type LoadResult,
} from '../../support/short-links';
import { waitFor } from '../../support/wait';

/**
 * PostgreSQL is really stopped (its own server, on its own port), or hung with SIGSTOP, while
 * redirects go on, then brought back: every answered redirect must end up as exactly one event.
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
		LOADER_RETRY_MS: '200',
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

test('when PostgreSQL stops for 30 s under load and starts again, then cached codes keep redirecting, every answered click is stored exactly once and the lag returns to 0', async () => {
	const { campaignId, codes } = await createCampaignWithLinks(
		server,
		{ conversionTracking: true },
		recipients,
	);
	const urls = codes.map((code) => `${server.url}/${code}`);
	const warm = await clickLoad(urls, { workers: 1, stop: () => false, maxRequests: urls.length });

	let stop = false;
	let progress: LoadResult | undefined;
	const load = clickLoad(urls, {
		workers: 8,
		stop: (sofar) => ((progress = sofar), stop),
		maxRequests: 100_000,
	});
	const answeredSoFar = () => progress?.answered.length ?? 0;
	await waitFor(answeredSoFar, {
		what: 'redirects answered before the outage',
		until: (n) => n >= 20,
	});
	await pg.stop();
	const stoppedAt = Date.now();
	const during = answeredSoFar();
	// The outage lasts 30 s of load (the scenario's length, not a wait for something to happen).
	await waitFor(
		() => ({
			answered: answeredSoFar(),
			available: server.redirect.recorder.databaseAvailable,
			seconds: (Date.now() - stoppedAt) / 1000,
		}),
		{
			what: 'redirects answered during 30 s of outage while the loader finds PostgreSQL gone',
			until: (s) => s.answered >= during + 200 && !s.available && s.seconds >= 30,
			timeoutMs: 60_000,
		},
	);
	expect(server.redirect.journal.status.lagSeconds).toBeGreaterThan(20);
	expect(server.redirect.journal.status.bytesPending).toBeGreaterThan(0);
	// A code nobody asked for yet cannot be looked up: 503, never a guess.
	expect((await hit(`${server.url}/Nn0tCach`, { userAgent: chromeOnAndroid })).status).toBe(503);
	await pg.start();
	await waitFor(() => server.redirect.recorder.databaseAvailable, {
		what: 'the recorder to reach PostgreSQL again',
	});
	const beforeResume = answeredSoFar();
	await waitFor(answeredSoFar, {
		what: 'redirects answered after the restart',
		until: (n) => n >= beforeResume + 20,
	});
	stop = true;
	const result = await load;

	expect(result.failed).toBe(0);
	expect(result.otherStatuses).toEqual({});
	const answered = [...warm.answered, ...result.answered];
	expect(answered.length).toBeGreaterThan(50);

	const db = connectSql(pg.url);
	try {
		const stored = async () =>
			db.sql<{ click_id: string }>(
				'SELECT click_id FROM events WHERE campaign_id = $1 AND type = $2',
				[campaignId, 'click'],
			);
		await waitFor(
			async () => ({
				stored: (await stored()).length,
				pending: server.redirect.journal.status.bytesPending,
				lag: server.redirect.journal.status.lagSeconds,
			}),
			{
				what: 'every answered click to be stored, the journal to be loaded and the lag back to 0',
				until: (state) => state.stored >= answered.length && state.pending === 0 && state.lag === 0,
				timeoutMs: 60_000,
			},
		);
		const ids = (await stored()).map((r) => r.click_id);
		expect(ids.length).toBe(answered.length);
		expect(new Set(ids)).toEqual(new Set(answered));
	} finally {
		await db.close();
	}
	expect(server.redirect.recorder.databaseAvailable).toBe(true);
}, 150_000);

test('when PostgreSQL hangs (SIGSTOP) during load, then redirects go on from the journal and every answered click is stored once it resumes', async () => {
	const { campaignId, codes } = await createCampaignWithLinks(
		server,
		{ conversionTracking: true },
		recipients,
	);
	const urls = codes.map((code) => `${server.url}/${code}`);
	const warm = await clickLoad(urls, { workers: 1, stop: () => false, maxRequests: urls.length });
	let stop = false;
	let progress: LoadResult | undefined;
	const load = clickLoad(urls, {
		workers: 8,
		stop: (sofar) => ((progress = sofar), stop),
		maxRequests: 5_000,
	});
	const answeredSoFar = () => progress?.answered.length ?? 0;
	await waitFor(answeredSoFar, { what: 'redirects before the hang', until: (n) => n >= 20 });
	const pid = pg.pid();
	process.kill(pid, 'SIGSTOP');
	try {
		const before = answeredSoFar();
		await waitFor(answeredSoFar, {
			what: 'redirects answered while PostgreSQL hangs',
			until: (n) => n >= before + 300,
		});
	} finally {
		process.kill(pid, 'SIGCONT');
	}
	stop = true;
	const result = await load;
	expect(result.failed).toBe(0);
	expect(result.otherStatuses).toEqual({});
	const answered = [...warm.answered, ...result.answered];
	const db = connectSql(pg.url);
	try {
		const ids = await waitFor(
			async () =>
				(
					await db.sql<{ click_id: string }>(
						'SELECT click_id FROM events WHERE campaign_id = $1 AND type = $2',
						[campaignId, 'click'],
					)
				).map((r) => r.click_id),
			{
				what: 'every answered click to be stored',
				until: (ids) => ids.length >= answered.length,
				timeoutMs: 30_000,
			},
		);
		expect(ids.length).toBe(answered.length);
		expect(new Set(ids)).toEqual(new Set(answered));
	} finally {
		await db.close();
	}
}, 60_000);
