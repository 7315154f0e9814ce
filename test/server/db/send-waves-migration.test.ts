import { connectSql } from '../../support/db';
import { databaseMigratedBefore } from '../../support/env';
import { startTestServer, type TestServer } from '../../support/server';
import { chromeOnAndroid, hit } from '../../support/short-links';

/**
 * Migration 011 (send waves) on a database that already holds a campaign: its links keep their
 * codes, its stats their figures, and everything it had becomes the wave "Initial".
 */
const sale = 'https://shop.example/sale';
const info = 'https://shop.example/info';
const people = ['+4915100000201', '+4915100000202', '+4915100000203'];

let url: string;
let server: TestServer | undefined;
afterAll(() => server?.close());

beforeAll(async () => {
	url = await databaseMigratedBefore('011');

	// A campaign as a server before waves stored it: links, messages, events, partly folded.
	const db = connectSql(url);
	try {
		await db.sql(
			`INSERT INTO campaigns (id, name, currency) VALUES ('cmp_old', 'Before waves', 'EUR')`,
		);
		await db.sql(
			`INSERT INTO links (code, campaign_id, recipient, destination, link_index)
			 VALUES ('OldCod01', 'cmp_old', $1, $4, 0), ('OldCod02', 'cmp_old', $1, $5, 1),
			        ('OldCod03', 'cmp_old', $2, $4, 0), ('OldCod04', 'cmp_old', $3, $4, 0)`,
			[...people, sale, info],
		);
		await db.sql(
			`INSERT INTO messages (campaign_id, recipient, provider, provider_message_id, segments, status)
			 SELECT 'cmp_old', r, 'seven', 'old-' || r, 1, 'sent' FROM unnest($1::text[]) AS r`,
			[people],
		);
		const event = (
			key: string,
			type: string,
			code: string,
			recipient: string,
			destination: string,
			minutesAgo: number,
		) =>
			db.sql(
				`INSERT INTO events (event_key, type, occurred_at, campaign_id, code, recipient, url, conversion_value)
				 VALUES ($1, $2, now() - make_interval(mins => $6), 'cmp_old', $3, $4, $5, CASE WHEN $2 = 'conversion' THEN 25 END)`,
				[key, type, code, recipient, destination, minutesAgo],
			);
		await event('e1', 'click', 'OldCod01', people[0], sale, 120);
		await event('e2', 'click', 'OldCod02', people[0], info, 110);
		await event('e3', 'click', 'OldCod03', people[1], sale, 100);
		await db.sql('SELECT stats_fold(1000)'); // folded before the migration …
		await event('e4', 'click', 'OldCod03', people[1], sale, 90); // … and still queued
		await event('e5', 'conversion', 'OldCod03', people[1], sale, 80);
	} finally {
		await db.close();
	}

	// The server migrates to 011 at start.
	server = await startTestServer({ DATABASE_URL: url });
});

test('when migration 011 runs on a database with a campaign, then its stats keep their figures and its sends become the wave "Initial"', async () => {
	const stats = await server!.api('GET', '/api/v1/campaigns/cmp_old/stats');
	expect(stats.status).toBe(200);
	const figures = {
		recipients: 3,
		sent: 3,
		clicks: 4,
		uniqueClickers: 2,
		conversions: 1,
		revenue: 25,
	};
	expect(stats.body.totals).toMatchObject(figures);
	expect(stats.body.links).toEqual([
		expect.objectContaining({ url: sale, clicks: 3, uniqueClickers: 2 }),
		expect.objectContaining({ url: info, clicks: 1, uniqueClickers: 1 }),
	]);
	expect(stats.body.waves).toEqual([expect.objectContaining({ wave: 'Initial', ...figures })]);
	// ranges read the slotted rollups, now keyed by wave (the events of the last 105 minutes)
	const from = new Date(Date.now() - 105 * 60_000).toISOString();
	const ranged = await server!.api('GET', `/api/v1/campaigns/cmp_old/stats?from=${from}`);
	expect(ranged.body.waves).toEqual([
		expect.objectContaining({ wave: 'Initial', clicks: 2, uniqueClickers: 1, conversions: 1 }),
	]);
	const events = await server!.api('GET', '/api/v1/campaigns/cmp_old/events?wave=Initial');
	expect(events.body.events).toHaveLength(5);
});

test('when the campaign is shortened again after the migration, then its recipients keep their codes, and a new wave gets new ones', async () => {
	const again = await server!.api('POST', '/api/v1/campaigns/cmp_old/links', {
		recipients: [{ recipient: people[0], urls: [sale, info] }],
	});
	expect(again.body.links.map((l: any) => [l.code, l.wave])).toEqual([
		['OldCod01', 'Initial'],
		['OldCod02', 'Initial'],
	]);
	const reminder = await server!.api('POST', '/api/v1/campaigns/cmp_old/links', {
		wave: 'Reminder',
		recipients: [{ recipient: people[2], urls: [sale] }],
	});
	expect(reminder.body.links[0].code).not.toBe('OldCod04');

	// an old code still redirects, and its click counts for the first wave
	const res = await hit(`${server!.url}/OldCod04`, { userAgent: chromeOnAndroid });
	expect(res.status).toBe(302);
	const stats = await server!.api('GET', '/api/v1/campaigns/cmp_old/stats');
	expect(stats.body.waves).toEqual([
		expect.objectContaining({ wave: 'Initial', clicks: 5, uniqueClickers: 3 }),
		expect.objectContaining({ wave: 'Reminder', recipients: 1, clicks: 0 }),
	]);
});
