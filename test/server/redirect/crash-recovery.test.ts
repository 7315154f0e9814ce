import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connectSql } from '../../support/db';
import { createTestDatabase } from '../../support/env';
import { startOwnPostgres } from '../../support/own-postgres';
import { request, testApiKey } from '../../support/server';
import { clickLoad, createCampaignWithLinks, type LoadResult } from '../../support/short-links';
import { spawnServer, type SpawnedServer } from '../../support/spawn-server';
import { waitFor } from '../../support/wait';

/** The built server (server/dist/main.js) in its own process, so it can be SIGKILLed. */
function spawn(databaseUrl: string | undefined, dataDir: string): Promise<SpawnedServer> {
	return spawnServer({
		...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
		DATA_DIR: dataDir,
		API_KEY: testApiKey,
		LOG_LEVEL: 'warn',
		LOADER_RETRY_MS: '200',
	});
}

const api = (url: string) => ({
	api: (method: string, p: string, body?: unknown) =>
		request(`${url}${p}`, method, body, { authorization: `Bearer ${testApiKey}` }),
});

const recipients = Array.from({ length: 10 }, (_, i) => ({
	recipient: `+4915130000${String(i).padStart(3, '0')}`,
	urls: ['https://shop.example/sale'],
}));

/** A spawned server with a campaign for `recipients`, and the short links' URLs on it. */
async function spawnWithCampaign(databaseUrl: string | undefined, dataDir: string) {
	const server = await spawn(databaseUrl, dataDir);
	const { campaignId, codes } = await createCampaignWithLinks(
		api(server.url),
		{ conversionTracking: true },
		recipients,
	);
	return { server, campaignId, urls: codes.map((c) => `${server.url}/${c}`) };
}

/** Clicks under load and sends `signal` to the server once `killAfter` redirects were answered. */
async function loadAndKill(
	server: SpawnedServer,
	urls: string[],
	killAfter: number,
	signal: NodeJS.Signals = 'SIGKILL',
): Promise<LoadResult> {
	const started = Date.now();
	let killed = false;
	const result = await clickLoad(urls, {
		workers: 12,
		maxRequests: 20_000,
		stop: (sofar) => {
			if (!killed && (sofar.answered.length >= killAfter || Date.now() - started > 10_000)) {
				server.child.kill(signal);
				killed = true;
			}
			return killed;
		},
	});
	// SIGKILL: killed by the signal (exit code null); SIGTERM: a clean exit after draining.
	expect(await server.stop()).toBe(signal === 'SIGKILL' ? null : 0);
	return result;
}

/** Click ids stored for the campaign, read over SQL or, for the embedded database, the API. */
async function storedClickIds(databaseUrl: string, campaignId: string): Promise<string[]> {
	const db = connectSql(databaseUrl);
	try {
		return (
			await db.sql<{ click_id: string }>(
				`SELECT click_id FROM events WHERE campaign_id = $1 AND type = 'click'`,
				[campaignId],
			)
		).map((r) => r.click_id);
	} finally {
		await db.close();
	}
}

/**
 * Waits until every answered click is stored, then checks none is stored twice. Events of
 * requests cut off before their answer may be stored too; every answered one must be, once.
 */
async function expectEachAnsweredStoredOnce(stored: () => Promise<string[]>, answered: string[]) {
	const ids = await waitFor(stored, {
		what: 'every answered click to be loaded from the journal',
		until: (ids) => {
			const set = new Set(ids);
			return answered.every((id) => set.has(id));
		},
		timeoutMs: 30_000,
	});
	expect(ids.length).toBe(new Set(ids).size);
}

test('when the server is SIGKILLed mid-load, then after a restart every answered redirect has exactly one event', async () => {
	const databaseUrl = await createTestDatabase();
	const dataDir = mkdtempSync(path.join(tmpdir(), 'sms-crash-'));
	const { server: first, campaignId, urls } = await spawnWithCampaign(databaseUrl, dataDir);
	const result = await loadAndKill(first, urls, 300);
	expect(result.answered.length).toBeGreaterThanOrEqual(300);

	const second = await spawn(databaseUrl, dataDir);
	try {
		await expectEachAnsweredStoredOnce(
			() => storedClickIds(databaseUrl, campaignId),
			result.answered,
		);
	} finally {
		await second.stop();
	}
}, 60_000);

test('when the server on the embedded database is SIGKILLed mid-load, then after a restart every answered redirect has exactly one event', async () => {
	const dataDir = mkdtempSync(path.join(tmpdir(), 'sms-crash-embedded-'));
	const { server: first, campaignId, urls } = await spawnWithCampaign(undefined, dataDir);
	const result = await loadAndKill(first, urls, 200);
	expect(result.answered.length).toBeGreaterThanOrEqual(200);

	const second = await spawn(undefined, dataDir);
	try {
		const listed = async () =>
			(
				await api(second.url).api(
					'GET',
					`/api/v1/campaigns/${campaignId}/events?type=click&limit=1000`,
				)
			).body.events.map((e: { clickId: string }) => e.clickId);
		await expectEachAnsweredStoredOnce(listed, result.answered);
	} finally {
		await second.stop();
	}
}, 90_000);

test('when the server is SIGKILLed while PostgreSQL is down, then the journal is loaded after the restart and nothing answered is lost', async () => {
	const pg = await startOwnPostgres();
	const dataDir = mkdtempSync(path.join(tmpdir(), 'sms-crash-journal-'));
	try {
		const { server: first, campaignId, urls } = await spawnWithCampaign(pg.url, dataDir);
		const warm = await clickLoad(urls, { workers: 1, stop: () => false, maxRequests: urls.length });
		await pg.stop();
		const result = await loadAndKill(first, urls, 200);
		expect(result.answered.length).toBeGreaterThanOrEqual(200);
		expect(readdirSync(path.join(dataDir, 'journal')).some((n) => n.endsWith('.jsonl'))).toBe(true);

		await pg.start();
		const second = await spawn(pg.url, dataDir);
		try {
			await expectEachAnsweredStoredOnce(
				() => storedClickIds(pg.url, campaignId),
				[...warm.answered, ...result.answered],
			);
		} finally {
			await second.stop();
		}
	} finally {
		await pg.destroy();
	}
}, 90_000);

test('when the server is SIGKILLed while it loads a backlog, then the next start goes on from the committed position: nothing lost, nothing twice', async () => {
	const pg = await startOwnPostgres();
	const dataDir = mkdtempSync(path.join(tmpdir(), 'sms-crash-loading-'));
	try {
		const { server: first, campaignId, urls } = await spawnWithCampaign(pg.url, dataDir);
		await clickLoad(urls, { workers: 1, stop: () => false, maxRequests: urls.length });
		await pg.stop();
		// A backlog in the journal, then a start that loads it in small batches and is killed mid-way.
		const backlog = await loadAndKill(first, urls, 1500);
		await pg.start();
		const loading = await spawnServer({
			DATABASE_URL: pg.url,
			DATA_DIR: dataDir,
			API_KEY: testApiKey,
			LOG_LEVEL: 'warn',
			LOADER_BATCH_SIZE: '50',
		});
		await waitFor(async () => (await storedClickIds(pg.url, campaignId)).length, {
			what: 'the loader to have stored part of the backlog',
			until: (n) => n > urls.length,
			intervalMs: 5,
		});
		loading.child.kill('SIGKILL');
		expect(await loading.stop()).toBeNull();

		const last = await spawn(pg.url, dataDir);
		try {
			await expectEachAnsweredStoredOnce(
				() => storedClickIds(pg.url, campaignId),
				backlog.answered,
			);
		} finally {
			await last.stop();
		}
	} finally {
		await pg.destroy();
	}
}, 90_000);

test('when a second server is started on the same data folder, then it refuses with a clear message and the first goes on', async () => {
	const databaseUrl = await createTestDatabase();
	const dataDir = mkdtempSync(path.join(tmpdir(), 'sms-two-'));
	const first = await spawn(databaseUrl, dataDir);
	try {
		await expect(spawn(databaseUrl, dataDir)).rejects.toThrow(
			new RegExp(`data folder .* is in use by another server \\(PID ${first.child.pid}\\)`),
		);
		expect((await request(`${first.url}/healthz`)).status).toBe(200);
	} finally {
		await first.stop();
	}
}, 60_000);

test('when the server gets SIGTERM mid-load, then it drains: every answered redirect is stored before it exits', async () => {
	const databaseUrl = await createTestDatabase();
	const dataDir = mkdtempSync(path.join(tmpdir(), 'sms-term-'));
	const { server, campaignId, urls } = await spawnWithCampaign(databaseUrl, dataDir);
	const result = await loadAndKill(server, urls, 200, 'SIGTERM');
	const ids = await storedClickIds(databaseUrl, campaignId);
	const stored = new Set(ids);
	expect(result.answered.length).toBeGreaterThanOrEqual(200);
	expect(result.answered.filter((id) => !stored.has(id))).toEqual([]);
	expect(ids.length).toBe(stored.size);
}, 60_000);
