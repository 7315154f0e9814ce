import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connectSql } from '../../support/db';
import { createTestDatabase } from '../../support/env';
import { startOwnPostgres } from '../../support/own-postgres';
import { request, testApiKey } from '../../support/server';
import { clickLoad, createCampaignWithLinks, type LoadResult } from '../../support/short-links';
import { spawnServer, type SpawnedServer } from '../../support/spawn-server';

/** The built server (server/dist/main.js) in its own process, so it can be SIGKILLed. */
function spawn(databaseUrl: string, dataDir: string): Promise<SpawnedServer> {
	return spawnServer({
		DATABASE_URL: databaseUrl,
		DATA_DIR: dataDir,
		API_KEY: testApiKey,
		LOG_LEVEL: 'warn',
		SPOOL_RETRY_MS: '200',
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
async function spawnWithCampaign(databaseUrl: string, dataDir: string) {
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

test('when the server is SIGKILLed mid-load, then after a restart every answered redirect has exactly one event', async () => {
	const databaseUrl = await createTestDatabase();
	const dataDir = mkdtempSync(path.join(tmpdir(), 'sms-crash-'));
	const { server: first, campaignId, urls } = await spawnWithCampaign(databaseUrl, dataDir);
	const result = await loadAndKill(first, urls, 300);
	expect(result.answered.length).toBeGreaterThanOrEqual(300);

	const second = await spawn(databaseUrl, dataDir);
	try {
		const ids = await storedClickIds(databaseUrl, campaignId);
		// Events of requests cut off before their answer may be stored too; every answered one must be, once.
		const stored = new Set(ids);
		expect(ids.length).toBe(stored.size);
		expect(result.answered.filter((id) => !stored.has(id))).toEqual([]);
	} finally {
		await second.stop();
	}
}, 60_000);

test('when the server is SIGKILLed while PostgreSQL is down, then the spool is replayed at the next start and nothing answered is lost', async () => {
	const pg = await startOwnPostgres();
	const dataDir = mkdtempSync(path.join(tmpdir(), 'sms-crash-spool-'));
	try {
		const { server: first, campaignId, urls } = await spawnWithCampaign(pg.url, dataDir);
		const warm = await clickLoad(urls, { workers: 1, stop: () => false, maxRequests: urls.length });
		await pg.stop();
		const result = await loadAndKill(first, urls, 200);
		expect(result.answered.length).toBeGreaterThanOrEqual(200);
		expect(readdirSync(path.join(dataDir, 'spool')).length).toBeGreaterThan(0);

		await pg.start();
		const second = await spawn(pg.url, dataDir);
		try {
			expect(readdirSync(path.join(dataDir, 'spool'))).toEqual([]);
			const ids = await storedClickIds(pg.url, campaignId);
			const stored = new Set(ids);
			expect(ids.length).toBe(stored.size);
			expect([...warm.answered, ...result.answered].filter((id) => !stored.has(id))).toEqual([]);
		} finally {
			await second.stop();
		}
	} finally {
		await pg.destroy();
	}
}, 90_000);

test('when the server gets SIGTERM mid-load, then it drains: every answered redirect is stored before it exits', async () => {
	const databaseUrl = await createTestDatabase();
	const dataDir = mkdtempSync(path.join(tmpdir(), 'sms-term-'));
	const { server, campaignId, urls } = await spawnWithCampaign(databaseUrl, dataDir);
	const result = await loadAndKill(server, urls, 200, 'SIGTERM');
	const stored = new Set(await storedClickIds(databaseUrl, campaignId));
	expect(result.answered.length).toBeGreaterThanOrEqual(200);
	expect(result.answered.filter((id) => !stored.has(id))).toEqual([]);
	expect(
		readdirSync(dataDir).includes('spool') ? readdirSync(path.join(dataDir, 'spool')) : [],
	).toEqual([]);
}, 60_000);
