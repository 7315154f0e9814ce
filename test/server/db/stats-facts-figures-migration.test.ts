import { connectSql } from '../../support/db';
import { databaseMigratedBefore } from '../../support/env';
import { keptFigures, recipientFactsOutOfStep } from '../../support/recipient-facts';
import { startTestServer, type TestServer } from '../../support/server';

/**
 * Migrations 032 (the recipients' facts copied for time ranges) and 033 (a whole campaign's
 * figures kept as they change) on a database that already holds a campaign sent in two waves,
 * with delivery reports and events folded and queued: the copies hold what the rollups say, the
 * kept figures count what they hold, and the answers read them.
 */
const sale = 'https://shop.example/sale';
const people = ['+4915100000301', '+4915100000302', '+4915100000303', '+4915100000304'];
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

let url: string;
let server: TestServer | undefined;
afterAll(() => server?.close());

beforeAll(async () => {
	url = await databaseMigratedBefore('032');

	const db = connectSql(url);
	try {
		await db.sql(`INSERT INTO campaigns (id, name, currency) VALUES ('cmp_old', 'Before facts', 'EUR')`);
		await db.sql(
			`INSERT INTO links (code, campaign_id, recipient, destination, link_index, variant, wave)
			 SELECT 'Old' || i, 'cmp_old', r, $2, 0, CASE WHEN i % 2 = 0 THEN 'A' ELSE 'B' END, 'Initial'
			 FROM unnest($1::text[]) WITH ORDINALITY AS p(r, i)
			 UNION ALL SELECT 'Rem1', 'cmp_old', $3, $2, 0, NULL, 'Reminder'`,
			[people, sale, people[0]],
		);
		await db.sql(
			`INSERT INTO messages (campaign_id, recipient, variant, provider, provider_message_id, segments, status, sent_at, wave)
			 VALUES ('cmp_old', $1, 'B', 'seven', 'm1', 2, 'delivered', $5, 'Initial'),
			        ('cmp_old', $2, 'A', 'seven', 'm2', 1, 'sent', $5, 'Initial'),
			        ('cmp_old', $3, 'B', 'seven', 'm3', 1, 'failed', $5, 'Initial'),
			        ('cmp_old', $4, 'A', 'seven', NULL, 1, 'failed', $5, 'Initial'),
			        ('cmp_old', $1, NULL, 'seven', 'm5', 1, 'sent', $6, 'Reminder')`,
			[...people, minutesAgo(300), minutesAgo(100)],
		);
		const click = (key: string, code: string, recipient: string, wave: string, ago: number) =>
			db.sql(
				`INSERT INTO events (event_key, type, occurred_at, campaign_id, code, recipient, url, wave)
				 VALUES ($1, 'click', $2, 'cmp_old', $3, $4, $5, $6)`,
				[key, minutesAgo(ago), code, recipient, sale, wave],
			);
		await click('e1', 'Old1', people[0], 'Initial', 250);
		await click('e2', 'Old2', people[1], 'Initial', 200);
		await db.sql('SELECT stats_fold(1000)'); // folded before the migration …
		await click('e3', 'Rem1', people[0], 'Reminder', 60); // … and still queued
	} finally {
		await db.close();
	}
	server = await startTestServer({ DATABASE_URL: url }); // migrates to 032 and 033
});

test('when migrations 032 and 033 run on a database with a campaign, then the copies and kept figures say what the rollups say, and answers read them', async () => {
	expect(await recipientFactsOutOfStep(server!.sql)).toEqual([]);
	const [kept, counted] = await keptFigures(server!.sql);
	expect(kept).toEqual(counted);
	const copied = await server!.sql('SELECT count(*)::int AS n FROM stats_wave_recipient_facts');
	expect(copied).toEqual([{ n: 5 }]);

	const whole = await server!.api('GET', '/api/v1/campaigns/cmp_old/stats');
	const range = await server!.api('GET', `/api/v1/campaigns/cmp_old/stats?from=${minutesAgo(225)}`);
	expect([whole.status, range.status]).toEqual([200, 200]);
	expect(await recipientFactsOutOfStep(server!.sql)).toEqual([]); // the queued click folded too
	const [keptAfter, countedAfter] = await keptFigures(server!.sql);
	expect(keptAfter).toEqual(countedAfter);
	const sends = { recipients: 4, sent: 3, delivered: 1, failed: 2 };
	expect(whole.body.totals).toMatchObject({ ...sends, clicks: 3, uniqueClickers: 2 });
	expect(range.body.totals).toMatchObject({ ...sends, clicks: 2, uniqueClickers: 2 });
	expect(range.body.variants.map((v: any) => [v.variant, v.recipients, v.sent])).toEqual([
		['A', 2, 1],
		['B', 2, 2],
	]);
	expect(range.body.waves.map((w: any) => [w.wave, w.recipients, w.sent, w.clicks])).toEqual([
		['Initial', 4, 3, 1],
		['Reminder', 1, 1, 1],
	]);
});
