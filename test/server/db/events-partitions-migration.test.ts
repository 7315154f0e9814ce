import { clickConversionEventKey } from '../../../server/src/conversions/store';
import { connectSql } from '../../support/db';
import { databaseMigratedBefore } from '../../support/env';
import { startTestServer, type TestServer } from '../../support/server';
import { chromeOnAndroid, hit } from '../../support/short-links';

/**
 * Migration 024 (events partitioned by month) on a database that already holds events: every
 * row, id, key and figure survives, and new events are stored and counted as before.
 */
const sale = 'https://shop.example/sale';
const people = ['+4915100000401', '+4915100000402', '+4915100000403'];
const day = 86_400_000;
const monthStart = (monthsAgo: number) => {
	const now = new Date();
	return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - monthsAgo, 1));
};
const twoMonthsAgo = new Date(monthStart(2).getTime() + 5 * day);
const lastMonth = new Date(monthStart(1).getTime() + 9 * day);

// the key conversions/store.ts gives an order reported with its click
const orderKey = clickConversionEventKey('old3', { name: 'purchase', value: '25', currency: null, idempotencyKey: 'order-1' });
const everyEvent = `SELECT to_jsonb(e) - 'tableoid' AS row FROM events e ORDER BY id`;

let url: string;
let server: TestServer | undefined;
let before: Array<{ row: Record<string, unknown> }>;
let deliveriesBefore: Array<{ id: string; event_id: string }>;
let maxIdBefore: number;
afterAll(() => server?.close());

beforeAll(async () => {
	url = await databaseMigratedBefore('024');

	// A campaign as a server before 024 stored it, over three months: clicks, a view, a bot, a
	// conversion with its key, a delivery report, webhook deliveries; partly folded.
	const db = connectSql(url);
	try {
		await db.sql(`INSERT INTO campaigns (id, name, currency, conversion_tracking) VALUES ('cmp_old', 'Before partitions', 'EUR', true)`);
		await db.sql(
			`INSERT INTO links (code, campaign_id, recipient, destination)
			 SELECT 'OldCod0' || n, 'cmp_old', r, $2 FROM unnest($1::text[]) WITH ORDINALITY AS t(r, n)`,
			[people, sale],
		);
		await db.sql(
			`INSERT INTO messages (campaign_id, recipient, provider, provider_message_id, segments, status)
			 SELECT 'cmp_old', r, 'seven', 'old-' || r, 1, 'sent' FROM unnest($1::text[]) AS r`,
			[people],
		);
		await db.sql(`INSERT INTO webhook_subscriptions (id, url, events, secret) VALUES ('whs_old', 'http://127.0.0.1:9/hook', ARRAY['click', 'conversion'], 'whsec_old')`);
		const event = (key: string, type: string, who: number, at: Date, extra: Record<string, unknown> = {}) =>
			db.sql(
				`INSERT INTO events (event_key, type, occurred_at, campaign_id, code, recipient, url, click_id, device_type,
				   conversion_name, conversion_value, conversion_currency, idempotency_key, wave)
				 VALUES ($1, $2, $3, 'cmp_old', 'OldCod0' || $4, $5, $6, $7, $8, $9, $10, $11, $12, 'Initial')`,
				[key, type, at, who + 1, people[who], sale, extra.clickId ?? null, extra.device ?? null,
					extra.name ?? null, extra.value ?? null, extra.currency ?? null, extra.idempotencyKey ?? null],
			);
		await event('click_old1', 'click', 0, twoMonthsAgo, { clickId: 'old1', device: 'mobile' });
		await event('click_old2', 'click', 1, new Date(twoMonthsAgo.getTime() + 3_600_000), { clickId: 'old2', device: 'desktop' });
		await event('view_old', 'view', 2, twoMonthsAgo);
		await event('bot_old', 'bot', 2, twoMonthsAgo);
		await db.sql('SELECT stats_fold(1000)'); // folded before the migration …
		await event('click_old3', 'click', 0, lastMonth, { clickId: 'old3', device: 'mobile' }); // … and still queued
		await event(orderKey, 'conversion', 0, new Date(lastMonth.getTime() + 60_000), {
			clickId: 'old3', name: 'purchase', value: 25, currency: 'EUR', idempotencyKey: 'order-1',
		});
		await db.sql(
			`INSERT INTO events (event_key, type, occurred_at, campaign_id, recipient, wave)
			 VALUES ('dlr:seven:old-' || $1 || ':delivered', 'delivered', $2, 'cmp_old', $1, 'Initial')`,
			[people[1], lastMonth],
		);
		await db.sql(
			`INSERT INTO webhook_deliveries (id, subscription_id, event_id)
			 SELECT 'msg_old_' || id, 'whs_old', id FROM events WHERE type IN ('click', 'conversion')`,
		);
		before = await db.sql(everyEvent);
		deliveriesBefore = await db.sql(`SELECT id, event_id::text FROM webhook_deliveries ORDER BY id`);
		maxIdBefore = Number((await db.sql(`SELECT max(id) AS m FROM events`))[0].m);
	} finally {
		await db.close();
	}

	// The server migrates to 024 at start.
	server = await startTestServer({ DATABASE_URL: url, WEBHOOK_DISPATCHER: 'false' });
});

test('when migration 024 runs on a database with events, then every row and id survives, in the partition of its month', async () => {
	expect(await server!.sql(everyEvent)).toEqual(before);
	const placed = await server!.sql(
		`SELECT event_key, tableoid::regclass::text AS partition, to_char(occurred_at AT TIME ZONE 'UTC', '"events_"YYYY_MM') AS month
		 FROM events ORDER BY id`,
	);
	for (const row of placed) expect(row.partition).toBe(row.month);
	// the current month and the next three are there before any event needs them
	const current = monthStart(0);
	for (let ahead = 0; ahead <= 3; ahead++) {
		const month = new Date(Date.UTC(current.getUTCFullYear(), current.getUTCMonth() + ahead, 1));
		const partition = `events_${month.toISOString().slice(0, 7).replace('-', '_')}`;
		expect(await server!.sql('SELECT to_regclass($1)::text AS t', [partition])).toEqual([{ t: partition }]);
	}
	// deliveries keep their events, and know their time
	const deliveries = await server!.sql(
		`SELECT d.id, d.event_id::text FROM webhook_deliveries d
		 JOIN events e ON e.id = d.event_id AND e.occurred_at = d.event_occurred_at ORDER BY d.id`,
	);
	expect(deliveries).toEqual(deliveriesBefore);
	// the keys of the conversion and the delivery report are claimed
	expect((await server!.sql(`SELECT event_key FROM event_keys ORDER BY event_key`)).map((r) => r.event_key)).toEqual([
		orderKey,
		`dlr:seven:old-${people[1]}:delivered`,
	].sort());
});

test('when the migrated campaign is read and clicked, then its figures are kept, new ids follow the old ones and repeats are still recognised', async () => {
	const stats = await server!.api('GET', '/api/v1/campaigns/cmp_old/stats');
	expect(stats.body.totals).toMatchObject({
		recipients: 3, sent: 3, delivered: 1, clicks: 3, uniqueClickers: 2, views: 1, conversions: 1, revenue: 25,
	});

	// a new click through the redirect: stored in this month's partition, with its delivery, counted
	const res = await hit(`${server!.url}/OldCod03`, { userAgent: chromeOnAndroid });
	expect(res.status).toBe(302);
	const clickId = new URL(res.location!).searchParams.get('sms_cid');
	const [stored] = await server!.sql(
		`SELECT id, tableoid::regclass::text AS partition FROM events WHERE type = 'click' AND click_id = $1`,
		[clickId],
	);
	expect(Number(stored.id)).toBeGreaterThan(maxIdBefore);
	expect(stored.partition).toBe(`events_${monthStart(0).toISOString().slice(0, 7).replace('-', '_')}`);
	expect(await server!.sql(`SELECT 1 FROM webhook_deliveries WHERE event_id = $1`, [stored.id])).toHaveLength(1);
	const after = await server!.api('GET', '/api/v1/campaigns/cmp_old/stats');
	expect(after.body.totals).toMatchObject({ clicks: 4, uniqueClickers: 3 });

	// the order reported before the migration is recognised as a repeat, now
	const repeat = await server!.api('POST', '/api/v1/conversions', { clickId: 'old3', name: 'purchase', value: 25, idempotencyKey: 'order-1' });
	expect(repeat.status).toBe(200);
	expect(repeat.body).toMatchObject({ duplicate: true });
	const fresh = await server!.api('POST', '/api/v1/conversions', { clickId: 'old3', name: 'purchase', value: 5, idempotencyKey: 'order-2' });
	expect(fresh.status).toBe(201);
	expect((await server!.api('GET', '/api/v1/campaigns/cmp_old/stats')).body.totals).toMatchObject({ conversions: 2, revenue: 30 });

	// a replayed click (same key, same time, as the journal would replay it) is stored once
	const [old] = await server!.sql(`SELECT * FROM events WHERE event_key = 'click_old1'`);
	const replay = await server!.sql(
		`INSERT INTO events (event_key, type, occurred_at, campaign_id, click_id) VALUES ($1, 'click', $2, 'cmp_old', $3)
		 ON CONFLICT DO NOTHING RETURNING id`,
		[old.event_key, old.occurred_at, old.click_id],
	);
	expect(replay).toEqual([]);
});
