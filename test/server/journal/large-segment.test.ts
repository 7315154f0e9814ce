import { mkdtempSync, openSync, writeSync, closeSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connectSql } from '../../support/db';
import { createTestDatabase } from '../../support/env';
import { request, testApiKey } from '../../support/server';
import { createCampaignWithLinks } from '../../support/short-links';
import { spawnServer } from '../../support/spawn-server';
import { waitFor } from '../../support/wait';

test('when a journal segment is larger than the server may hold in memory, then it is loaded line by line and every event is stored once', async () => {
	const databaseUrl = await createTestDatabase();
	const dataDir = mkdtempSync(path.join(tmpdir(), 'sms-journal-large-'));
	const env = {
		DATABASE_URL: databaseUrl,
		DATA_DIR: dataDir,
		API_KEY: testApiKey,
		LOG_LEVEL: 'warn',
	};
	const first = await spawnServer(env);
	const api = {
		api: (m: string, p: string, b?: unknown) =>
			request(`${first.url}${p}`, m, b, { authorization: `Bearer ${testApiKey}` }),
	};
	const { campaignId } = await createCampaignWithLinks(api, {}, [
		{ recipient: '+4915100000009', urls: ['https://shop.example/'] },
	]);
	await first.stop();

	// 1,200 lines of 100 KB each (a field the events table ignores pads them): a 120 MB segment,
	// behind a heap limited to 64 MB. Reading it whole would end the process.
	const file = path.join(dataDir, 'journal', '000000000900.jsonl');
	const fd = openSync(file, 'w');
	const padding = 'x'.repeat(100_000);
	const count = 1200;
	for (let i = 0; i < count; i++) {
		const line = {
			eventKey: `click_big${i}`,
			type: 'click',
			occurredAt: new Date().toISOString(),
			campaignId,
			clickId: `big${i}`,
			padding,
		};
		writeSync(fd, JSON.stringify(line) + '\n');
	}
	closeSync(fd);
	expect(statSync(file).size).toBeGreaterThan(120_000_000);

	const second = await spawnServer({ ...env, NODE_OPTIONS: '--max-old-space-size=64' });
	const db = connectSql(databaseUrl);
	try {
		const stored = await waitFor(
			async () =>
				(
					await db.sql<{ n: number }>(
						`SELECT count(*)::int AS n FROM events WHERE campaign_id = $1`,
						[campaignId],
					)
				)[0].n,
			{
				what: 'the large segment to be loaded',
				until: (n) => n >= count || second.child.exitCode !== null,
				timeoutMs: 60_000,
			},
		);
		expect(second.child.exitCode).toBeNull();
		expect(stored).toBe(count);
	} finally {
		await db.close();
		await second.stop();
	}
}, 120_000);
