import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connectSql } from '../../support/db';
import { createTestDatabase } from '../../support/env';
import { startOwnPostgres } from '../../support/own-postgres';
import { request, startTestServer, testApiKey } from '../../support/server';
import {
	clickLoad,
	createCampaignWithLinks,
	hit,
	chromeOnAndroid,
} from '../../support/short-links';
import { spawnServer } from '../../support/spawn-server';
import { waitFor } from '../../support/wait';

const event = (key: string, campaignId: string) =>
	JSON.stringify({
		eventKey: key,
		type: 'click',
		occurredAt: new Date().toISOString(),
		campaignId,
		clickId: key,
	});

test('when a segment holds a corrupt line and a line the database refuses, then both go to the rejected file with their reason and the lines around them are stored', async () => {
	const databaseUrl = await createTestDatabase();
	const dataDir = mkdtempSync(path.join(tmpdir(), 'sms-journal-rejected-'));
	const first = await startTestServer({ DATABASE_URL: databaseUrl, DATA_DIR: dataDir });
	const { campaignId } = await createCampaignWithLinks(first, {}, [
		{ recipient: '+4915100000001', urls: ['https://shop.example/'] },
	]);
	await first.close();
	// A segment as a crash-damaged disk or an old release could leave it, behind the journal's own.
	const journal = path.join(dataDir, 'journal');
	writeFileSync(
		path.join(journal, '000000000900.jsonl'),
		[
			event('click_before', campaignId),
			'{"eventKey":"click_torn","type":"cl\u0000garbage',
			event('click_unknown_campaign', 'cmp_does_not_exist'),
			event('click_after', campaignId),
			'',
		].join('\n'),
	);
	const second = await startTestServer({ DATABASE_URL: databaseUrl, DATA_DIR: dataDir });
	try {
		await waitFor(() => second.redirect.journal.status.rejectedLines, {
			what: 'two lines to be rejected',
			until: (n) => n === 2,
		});
		await second.redirect.recorder.settled();
		const keys = (
			await second.sql<{ event_key: string }>(
				'SELECT event_key FROM events WHERE campaign_id = $1 ORDER BY event_key',
				[campaignId],
			)
		).map((r) => r.event_key);
		expect(keys).toEqual(['click_after', 'click_before']);
		const rejected = readFileSync(path.join(journal, 'rejected'), 'utf8')
			.trim()
			.split('\n')
			.map((l) => JSON.parse(l));
		expect(rejected.map((r) => [r.reason.split(':')[0], r.line.slice(0, 24)])).toEqual([
			['unreadable', '{"eventKey":"click_torn"'],
			['refused by the database', event('click_unknown_campaign', 'x').slice(0, 24)],
		]);
		// The loaded segment is gone.
		expect(readdirSync(journal)).not.toContain('000000000900.jsonl');
	} finally {
		await second.close();
	}
}, 60_000);

test('when the journal file cannot grow (RLIMIT_FSIZE), then short writes and EFBIG cut the segment back, the batch is committed to PostgreSQL directly, and every answered click is stored once', async () => {
	const databaseUrl = await createTestDatabase();
	const dataDir = mkdtempSync(path.join(tmpdir(), 'sms-journal-full-'));
	const server = await spawnServer({
		DATABASE_URL: databaseUrl,
		DATA_DIR: dataDir,
		API_KEY: testApiKey,
		LOG_LEVEL: 'warn',
	});
	try {
		const api = {
			api: (m: string, p: string, b?: unknown) =>
				request(`${server.url}${p}`, m, b, { authorization: `Bearer ${testApiKey}` }),
		};
		const { campaignId, codes } = await createCampaignWithLinks(api, { conversionTracking: true }, [
			{ recipient: '+4915100000002', urls: ['https://shop.example/'] },
		]);
		// Files of this process may not grow past 20 KB from now on: each segment fills up and fails.
		execFileSync('prlimit', ['--pid', String(server.child.pid), '--fsize=20000']);
		const result = await clickLoad([`${server.url}/${codes[0]}`], {
			workers: 6,
			stop: () => false,
			maxRequests: 600,
		});
		expect(result.answered).toHaveLength(600);
		const db = connectSql(databaseUrl);
		try {
			const ids = await waitFor(
				async () =>
					(
						await db.sql<{ click_id: string }>(
							`SELECT click_id FROM events WHERE campaign_id = $1 AND type = 'click'`,
							[campaignId],
						)
					).map((r) => r.click_id),
				{ what: 'every answered click to be stored', until: (ids) => ids.length >= 600 },
			);
			expect(new Set(ids)).toEqual(new Set(result.answered));
			expect(ids).toHaveLength(600);
		} finally {
			await db.close();
		}
		// The limit was hit: several segments were started, none past the limit.
		expect(server.output()).toMatch(/click journal cannot be written/);
	} finally {
		await server.stop();
	}
}, 60_000);

test('when neither the journal nor PostgreSQL takes clicks, then the redirect still answers 302, the loss is logged and /readyz says 503', async () => {
	const pg = await startOwnPostgres();
	const dataDir = mkdtempSync(path.join(tmpdir(), 'sms-journal-nowhere-'));
	const server = await spawnServer({
		DATABASE_URL: pg.url,
		DATA_DIR: dataDir,
		API_KEY: testApiKey,
		LOG_LEVEL: 'warn',
		CLICK_COMMIT_TIMEOUT_MS: '500',
	});
	try {
		const api = {
			api: (m: string, p: string, b?: unknown) =>
				request(`${server.url}${p}`, m, b, { authorization: `Bearer ${testApiKey}` }),
		};
		const { codes } = await createCampaignWithLinks(api, {}, [
			{ recipient: '+4915100000003', urls: ['https://shop.example/'] },
		]);
		expect(
			(await hit(`${server.url}/${codes[0]}`, { userAgent: chromeOnAndroid, loaded: false }))
				.status,
		).toBe(302);
		expect((await request(`${server.url}/readyz`)).status).toBe(200);
		await pg.stop();
		if (server.child.exitCode !== null) throw new Error(server.output());
		// No file of the server may grow by a byte: the journal fails as on a full disk.
		execFileSync('prlimit', ['--pid', String(server.child.pid), '--fsize=1']);
		const res = await hit(`${server.url}/${codes[0]}`, {
			userAgent: chromeOnAndroid,
			loaded: false,
		});
		expect(res.status).toBe(302);
		const ready = await request(`${server.url}/readyz`);
		expect(ready.status).toBe(503);
		expect(ready.body.error.code).toBe('clicks_unrecorded');
		await waitFor(() => server.output(), {
			what: 'the loss to be logged',
			until: (out) =>
				/clicks answered but not recorded/.test(out) && /"clicksUnrecorded":1/.test(out),
		});
	} finally {
		await server.stop();
		await pg.destroy();
	}
}, 60_000);
