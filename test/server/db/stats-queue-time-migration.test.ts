import { migrate } from '../../../server/src/db/migrate';
import { createLogger } from '../../../server/src/log';
import { connectSql } from '../../support/db';
import { databaseMigratedBefore } from '../../support/env';

const quiet = createLogger('error');

/**
 * Migration 028 (the stats queue carries each event's time; best hours counted by the fold) on a
 * database with events queued and folded: every queued event stays queued with its time, and is
 * then folded once, into the rollups and into the best hours, none counted twice.
 */
const people = ['+4915100000501', '+4915100000502'];
const day = 86_400_000;
const monthStart = (monthsAgo: number) => {
	const now = new Date();
	return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - monthsAgo, 1));
};
// 08:00 UTC is 09:00 or 10:00 in Berlin: both clicks of a person fall in one local hour per month
const twoMonthsAgo = new Date(monthStart(2).getTime() + 5 * day + 8 * 3_600_000);
const lastMonth = new Date(monthStart(1).getTime() + 9 * day + 8 * 3_600_000);

let db: ReturnType<typeof connectSql>;
let queuedBefore: Array<{ event_id: string; campaign_id: string; occurred_at: Date }>;
let hoursBefore: Array<Record<string, unknown>>;
afterAll(() => db?.close());

beforeAll(async () => {
	const url = await databaseMigratedBefore('028');

	db = connectSql(url);
	await db.sql(`INSERT INTO campaigns (id, name) VALUES ('cmp_q', 'Queued before 028')`);
	await db.sql(`SELECT events_create_month_partition($1), events_create_month_partition($2)`, [
		twoMonthsAgo,
		lastMonth,
	]);
	const event = (key: string, type: string, who: number, at: Date) =>
		db.sql(
			`INSERT INTO events (event_key, type, occurred_at, campaign_id, recipient, url)
			 VALUES ($1, $2, $3, 'cmp_q', $4, 'https://shop.example/sale')`,
			[key, type, at, people[who]],
		);
	await event('click_q1', 'click', 0, twoMonthsAgo);
	await event('view_q1', 'view', 1, twoMonthsAgo);
	await db.sql('SELECT stats_fold(1000)'); // folded before the migration …
	await event('click_q2', 'click', 0, lastMonth); // … and still queued, in two months
	await event('click_q3', 'click', 1, new Date(twoMonthsAgo.getTime() + 60_000));
	await event('bot_q', 'bot', 1, lastMonth);
	queuedBefore = await db.sql(
		`SELECT p.event_id::text, p.campaign_id, e.occurred_at FROM stats_pending p
		 JOIN events e ON e.id = p.event_id ORDER BY p.event_id`,
	);
	hoursBefore = await db.sql('SELECT * FROM recipient_click_hours ORDER BY recipient');

	await migrate(url, quiet);
});

test('when migration 028 runs with events queued for the rollups, then they stay queued, each with its event’s time', async () => {
	expect(queuedBefore.map((q) => q.event_id)).toHaveLength(2);
	const queued = await db.sql(
		`SELECT event_id::text, campaign_id, occurred_at FROM stats_pending ORDER BY event_id`,
	);
	expect(queued).toEqual(queuedBefore);
	// clicks stored before 028 were counted by migration 027's trigger as they were stored
	expect(hoursBefore.map((h) => [h.recipient, h.clicks])).toEqual([
		[people[0], 2],
		[people[1], 1],
	]);
});

test('when the queued events are folded after migration 028, then each counts once in the rollups and the best hours', async () => {
	expect(await db.sql('SELECT stats_fold(1000) AS n')).toEqual([{ n: 2 }]);
	expect(await db.sql('SELECT * FROM stats_pending')).toEqual([]);
	expect(
		await db.sql(
			`SELECT recipient, clicks, views FROM stats_recipients WHERE campaign_id = 'cmp_q' ORDER BY recipient`,
		),
	).toEqual([
		{ recipient: people[0], clicks: 2, views: 0 },
		{ recipient: people[1], clicks: 1, views: 1 },
	]);
	expect(await db.sql('SELECT * FROM recipient_click_hours ORDER BY recipient')).toEqual(
		hoursBefore,
	);

	// a click stored now is queued with its time and counted into the best hours by the fold
	const [{ id }] = await db.sql(
		`INSERT INTO events (event_key, type, occurred_at, campaign_id, recipient)
		 VALUES ('click_q4', 'click', $1, 'cmp_q', $2) RETURNING id::text`,
		[lastMonth, people[1]],
	);
	expect(await db.sql('SELECT event_id::text AS id, occurred_at FROM stats_pending')).toEqual([
		{ id, occurred_at: lastMonth },
	]);
	expect(
		await db.sql('SELECT clicks FROM recipient_click_hours WHERE recipient = $1', [people[1]]),
	).toEqual([{ clicks: 1 }]);
	await db.sql('SELECT stats_fold(1000)');
	expect(
		await db.sql('SELECT clicks FROM recipient_click_hours WHERE recipient = $1', [people[1]]),
	).toEqual([{ clicks: 2 }]);
});
