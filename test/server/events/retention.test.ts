import { insertEvents } from '../../../server/src/events/store';
import { dropExpiredEventPartitions } from '../../../server/src/events/retention';
import type { NewEvent } from '../../../server/src/events/types';
import { startTestServer, type TestServer } from '../../support/server';
import { chromeOnAndroid, createCampaignWithLinks, hit } from '../../support/short-links';
import { waitFor } from '../../support/wait';

/**
 * EVENTS_RETENTION_DAYS drops whole monthly partitions of events; the campaign's figures stay,
 * because the stats rollups hold them.
 */
const people = ['+4915100000301', '+4915100000302', '+4915100000303'];
const sale = 'https://shop.example/sale';
const day = 86_400_000;
const monthStart = (monthsAgo: number) => {
	const now = new Date();
	return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - monthsAgo, 1));
};
// Five months back (wholly past a 60-day limit) and last month (inside it).
const old = new Date(monthStart(5).getTime() + 3 * day);
const recent = new Date(monthStart(1).getTime() + 3 * day);

let server: TestServer;
let campaignId: string;
let codes: string[];

const partitionOf = async (id: string) =>
	(await server.sql(`SELECT tableoid::regclass::text AS p FROM events WHERE id = $1`, [id]))[0]?.p;

beforeAll(async () => {
	server = await startTestServer({ WEBHOOK_DISPATCHER: 'false' });
	({ campaignId, codes } = await createCampaignWithLinks(
		server,
		{ name: 'retention', currency: 'EUR', conversionTracking: true },
		people.map((recipient) => ({ recipient, urls: [sale] })),
	));
	await server.api('POST', '/api/v1/webhooks', { url: 'http://127.0.0.1:9/hook', events: ['click', 'conversion'] });
	// Months that were current once: a running server created their partitions then.
	for (const at of [old, recent]) await server.sql('SELECT events_create_month_partition($1)', [at]);

	const event = (key: string, type: NewEvent['type'], at: Date, who: number, extra: Partial<NewEvent> = {}): NewEvent => ({
		eventKey: key,
		type,
		occurredAt: at,
		campaignId,
		code: codes[who],
		recipient: people[who],
		url: sale,
		wave: 'Initial',
		...extra,
	});
	await insertEvents(server.db, [
		event('click_old1', 'click', old, 0, { clickId: 'old1', deviceType: 'mobile', os: 'Android', country: 'DE' }),
		event('click_old2', 'click', new Date(old.getTime() + 60_000), 1, { clickId: 'old2', deviceType: 'desktop' }),
		event('view_old', 'view', old, 2),
		event('cv_k_old', 'conversion', new Date(old.getTime() + 120_000), 0, {
			clickId: 'old1',
			conversionName: 'purchase',
			conversionValue: 40,
			conversionCurrency: 'EUR',
			idempotencyKey: 'order-old',
		}),
		event('click_recent', 'click', recent, 2, { clickId: 'recent1', deviceType: 'mobile' }),
	]);
	await hit(`${server.url}/${codes[1]}`, { userAgent: chromeOnAndroid });
});
afterAll(() => server.close());

test('when partitions fall past EVENTS_RETENTION_DAYS, then their events go, the newer month stays, and the campaign keeps its figures', async () => {
	const before = await server.api('GET', `/api/v1/campaigns/${campaignId}/stats`);
	expect(before.body.totals).toMatchObject({ clicks: 4, uniqueClickers: 3, views: 1, conversions: 1, revenue: 40 });
	const [oldClick] = await server.sql(`SELECT id::text FROM events WHERE event_key = 'click_old1'`);
	const [recentClick] = await server.sql(`SELECT id::text FROM events WHERE event_key = 'click_recent'`);
	const oldPartition = await partitionOf(oldClick.id);
	const recentPartition = await partitionOf(recentClick.id);
	expect(oldPartition).toMatch(/^events_\d{4}_\d{2}$/);
	expect(await server.sql(`SELECT 1 FROM event_keys WHERE event_key = 'cv_k_old'`)).toHaveLength(1);
	expect((await server.sql(`SELECT count(*)::int AS n FROM webhook_deliveries`))[0].n).toBe(5);

	const dropped = await dropExpiredEventPartitions(server.db, 60);

	expect(dropped).toContain(oldPartition);
	expect(dropped).not.toContain(recentPartition);
	expect(await server.sql('SELECT to_regclass($1) AS t', [oldPartition])).toEqual([{ t: null }]);
	// the old month's events, their deliveries and claimed keys are gone; the rest stays
	const left = await server.sql(`SELECT event_key FROM events WHERE campaign_id = $1 ORDER BY id`, [campaignId]);
	expect(left.map((r) => r.event_key)).toEqual(['click_recent', expect.stringMatching(/^click_/)]);
	expect(await server.sql(`SELECT 1 FROM event_keys WHERE event_key = 'cv_k_old'`)).toEqual([]);
	expect((await server.sql(`SELECT count(*)::int AS n FROM webhook_deliveries`))[0].n).toBe(2);
	expect(await partitionOf(recentClick.id)).toBe(recentPartition);

	const after = await server.api('GET', `/api/v1/campaigns/${campaignId}/stats`);
	expect(after.body.totals).toEqual(before.body.totals);
	expect(after.body.links).toEqual(before.body.links);
	expect(after.body.breakdowns).toEqual(before.body.breakdowns);
	const events = await server.api('GET', `/api/v1/campaigns/${campaignId}/events`);
	expect(events.body.events).toHaveLength(2);

	// nothing more is past the limit: a second run drops nothing
	expect(await dropExpiredEventPartitions(server.db, 60)).toEqual([]);
});

test('when a month still has events queued for the rollups, then it is not dropped until they are folded', async () => {
	const at = new Date(monthStart(7).getTime() + day);
	await server.sql('SELECT events_create_month_partition($1)', [at]);
	await insertEvents(server.db, [
		{ eventKey: 'click_queued', type: 'click', occurredAt: at, campaignId, code: codes[0], recipient: people[0], url: sale, clickId: 'queued1', wave: 'Initial' },
	]);
	const [{ p, id }] = await server.sql(`SELECT tableoid::regclass::text AS p, id::text FROM events WHERE event_key = 'click_queued'`);
	// Holding its queue entry keeps the server's folder off it (the fold skips locked entries).
	const holder = await server.db.connect();
	try {
		await holder.query('BEGIN');
		const held = await holder.query('SELECT 1 FROM stats_pending WHERE event_id = $1 FOR UPDATE', [id]);
		expect(held.rowCount).toBe(1);

		expect(await dropExpiredEventPartitions(server.db, 60)).toEqual([]);
		expect(await server.sql('SELECT to_regclass($1)::text AS t', [p])).toEqual([{ t: p }]);
	} finally {
		await holder.query('ROLLBACK');
		holder.release();
	}

	const stats = await server.api('GET', `/api/v1/campaigns/${campaignId}/stats`); // folds the campaign's queue
	expect(await dropExpiredEventPartitions(server.db, 60)).toEqual([p]);
	const after = await server.api('GET', `/api/v1/campaigns/${campaignId}/stats`);
	expect(after.body.totals).toEqual(stats.body.totals);
	expect(after.body.totals.clicks).toBe(5);
});

test('when a server starts with EVENTS_RETENTION_DAYS, then it drops the months past the limit by itself', async () => {
	const at = new Date(monthStart(9).getTime() + day);
	await server.sql('SELECT events_create_month_partition($1)', [at]);
	await insertEvents(server.db, [
		{ eventKey: 'click_keeper', type: 'click', occurredAt: at, campaignId, code: codes[1], recipient: people[1], url: sale, clickId: 'keeper1', wave: 'Initial' },
	]);
	const [{ p }] = await server.sql(`SELECT tableoid::regclass::text AS p FROM events WHERE event_key = 'click_keeper'`);
	const totals = (await server.api('GET', `/api/v1/campaigns/${campaignId}/stats`)).body.totals; // folded

	const second = await startTestServer({ DATABASE_URL: server.databaseUrl, EVENTS_RETENTION_DAYS: '60', WEBHOOK_DISPATCHER: 'false' });
	try {
		await waitFor(async () => (await server.sql('SELECT to_regclass($1) AS t', [p]))[0].t === null, {
			what: `the keeper of a server with EVENTS_RETENTION_DAYS=60 to drop ${p}`,
		});
		expect((await second.api('GET', `/api/v1/campaigns/${campaignId}/stats`)).body.totals).toEqual(totals);
	} finally {
		await second.close();
	}
});
