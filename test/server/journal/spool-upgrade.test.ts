import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestDatabase } from '../../support/env';
import { startTestServer } from '../../support/server';
import { createCampaignWithLinks } from '../../support/short-links';

test('when the data folder holds the click spool of an earlier release, then its events are loaded once at start and the spool files are gone', async () => {
	const databaseUrl = await createTestDatabase();
	const dataDir = mkdtempSync(path.join(tmpdir(), 'sms-journal-upgrade-'));
	const first = await startTestServer({ DATABASE_URL: databaseUrl, DATA_DIR: dataDir });
	const { campaignId } = await createCampaignWithLinks(first, {}, [
		{ recipient: '+4915100000011', urls: ['https://shop.example/'] },
	]);
	await first.close();
	// What the old spool wrote: one JSON event per line under DATA_DIR/spool.
	mkdirSync(path.join(dataDir, 'spool'));
	const spooled = ['old1', 'old2'].map((id) =>
		JSON.stringify({
			eventKey: `click_${id}`,
			type: 'click',
			occurredAt: new Date().toISOString(),
			campaignId,
			clickId: id,
		}),
	);
	writeFileSync(
		path.join(dataDir, 'spool', `events-${Date.now()}-1-0.jsonl`),
		spooled.join('\n') + '\n',
	);

	const second = await startTestServer({ DATABASE_URL: databaseUrl, DATA_DIR: dataDir });
	try {
		await second.redirect.recorder.settled();
		const ids = (
			await second.sql<{ click_id: string }>(
				'SELECT click_id FROM events WHERE campaign_id = $1 ORDER BY click_id',
				[campaignId],
			)
		).map((r) => r.click_id);
		expect(ids).toEqual(['old1', 'old2']);
		expect(readdirSync(path.join(dataDir, 'spool'))).toEqual([]);
	} finally {
		await second.close();
	}
}, 60_000);
