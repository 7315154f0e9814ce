import { storeEvents } from '../../support/events';
import { startTestServer, type TestServer } from '../../support/server';
import { at, info, people, sale, seedKnownCampaign } from '../../support/stats-seed';

let server: TestServer;
let id: string;
beforeAll(async () => {
	server = await startTestServer();
	id = await seedKnownCampaign(server);
});
afterAll(() => server.close());

/** 30 s after the first 15-minute slot of the seeded events begins, before any event. */
const startingInFirstSlot = new Date(Date.parse(at(0)) + 30_000).toISOString();

const stats = (query = '') => server.api('GET', `/api/v1/campaigns/${id}/stats${query}`);

/** A breakdown's rows, in the order written: `{ mobile: 5 }` is `[{ key: 'mobile', clicks: 5 }]`. */
const clicksBy = (counts: Record<string, number>) =>
	Object.entries(counts).map(([key, clicks]) => ({ key, clicks }));
/** The rows of a breakdown with clicks, as clicksBy writes them. */
const clicked = (rows: Array<{ key: string; clicks: number }>) =>
	rows.filter((r) => r.clicks > 0).map(({ key, clicks }) => ({ key, clicks }));

test('when a seeded campaign is evaluated, then the totals are the known answers (bots never count, repeat clicks do, revenue only in the campaign currency)', async () => {
	const res = await stats('?timeZone=Europe/Berlin');
	expect(res.status).toBe(200);
	expect(res.body).toMatchObject({
		campaignId: id,
		currency: 'EUR',
		from: null,
		to: null,
		timeZone: 'Europe/Berlin',
		winner: null,
	});
	expect(res.body.totals).toEqual({
		recipients: 9,
		sent: 6, // a4 failed after the provider accepted it (sent); b3 was rejected (not sent); the hold-out got nothing
		delivered: 2, // a1 by message status, b1 by a delivery report event
		failed: 2,
		views: 2,
		uniqueViewers: 2,
		clicks: 6, // a1 clicked three times
		uniqueClickers: 4,
		ctr: 4 / 6,
		conversions: 4,
		uniqueConverters: 2,
		conversionRate: 2 / 6,
		conversionRateOfClickers: 0.5,
		revenue: 74.9, // 49.90 EUR + 20 EUR + 5 without currency; the 15 USD are not added
		cost: 0.5, // 10 charged segments × 0.05
		roi: 148.8,
		segments: 10,
	});
	expect(res.body.otherCurrencies).toEqual([{ currency: 'USD', conversions: 1, revenue: 15 }]);
	expect(res.body.medianSecondsToFirstClick).toBe(1200); // first clicks 10, 20 and 30 minutes after sending
});

test('when a seeded campaign is evaluated, then each variant and the hold-out have their own numbers', async () => {
	const { body } = await stats();
	expect(body.variants.map((v: any) => v.variant)).toEqual(['A', 'B', 'holdout']);
	const [a, b, holdout] = body.variants;
	expect(a).toEqual({
		variant: 'A',
		recipients: 4,
		sent: 4,
		delivered: 1,
		failed: 1,
		views: 2,
		uniqueViewers: 2,
		clicks: 4,
		uniqueClickers: 2,
		ctr: 0.5,
		conversions: 1,
		uniqueConverters: 1,
		conversionRate: 0.25,
		conversionRateOfClickers: 0.5,
		revenue: 49.9,
		cost: 0.4,
		roi: 123.75,
		segments: 8,
	});
	expect(b).toEqual({
		variant: 'B',
		recipients: 3,
		sent: 2,
		delivered: 1,
		failed: 1,
		views: 0,
		uniqueViewers: 0,
		clicks: 1,
		uniqueClickers: 1,
		ctr: 0.5,
		conversions: 3,
		uniqueConverters: 1,
		conversionRate: 0.5,
		conversionRateOfClickers: 1,
		revenue: 25,
		cost: 0.1,
		roi: 249,
		segments: 2,
	});
	// nothing was sent to the hold-out: its rates fall back to its recipients
	expect(holdout).toMatchObject({
		recipients: 2,
		sent: 0,
		clicks: 1,
		uniqueClickers: 1,
		ctr: 0.5,
		cost: 0,
		roi: null,
	});
});

test('when a seeded campaign is evaluated, then links, devices and the timeline count clicks, views and conversions apart', async () => {
	const { body } = await stats('?timeZone=Europe/Berlin');
	expect(body.links).toEqual([
		{ url: sale, clicks: 5, uniqueClickers: 4, views: 2, conversions: 1 },
		{ url: info, clicks: 1, uniqueClickers: 1, views: 0, conversions: 0 },
	]);
	expect(clicked(body.breakdowns.deviceType)).toEqual(clicksBy({ mobile: 5, desktop: 1 }));
	expect(clicked(body.breakdowns.os)).toEqual(clicksBy({ iOS: 3, Android: 2, Windows: 1 }));
	expect(clicked(body.breakdowns.browser)).toEqual(clicksBy({ Chrome: 3, 'Mobile Safari': 3 }));
	expect(clicked(body.breakdowns.country)).toEqual(clicksBy({ DE: 5, AT: 1 })); // the bots' US never shows
	expect(body.timelineBucket).toBe('hour');
	expect(body.timeline).toEqual([
		{ bucket: at(0), clicks: 3, views: 2, conversions: 3 },
		{ bucket: at(60), clicks: 1, views: 0, conversions: 1 },
		{ bucket: at(120), clicks: 1, views: 0, conversions: 0 },
		{ bucket: at(180), clicks: 1, views: 0, conversions: 0 },
	]);
});

test('when the caller names a time zone, then the hour of day is local to it', async () => {
	const hours = async (tz: string) => {
		const { body } = await stats(`?timeZone=${encodeURIComponent(tz)}`);
		expect(body.breakdowns.hourOfDay).toHaveLength(24);
		return Object.fromEntries(
			body.breakdowns.hourOfDay.filter((h: any) => h.clicks > 0).map((h: any) => [h.key, h.clicks]),
		);
	};
	expect(await hours('UTC')).toEqual({ 9: 3, 10: 1, 11: 1, 12: 1 });
	expect(await hours('Europe/Berlin')).toEqual({ 10: 3, 11: 1, 12: 1, 13: 1 });
	expect(await hours('America/New_York')).toEqual({ 4: 3, 5: 1, 6: 1, 7: 1 });
	// half-hour offset: 09:10, 09:20 and 09:30 UTC are 14:40, 14:50 and 15:00 in Kolkata
	expect(await hours('Asia/Kolkata')).toEqual({ 14: 2, 15: 2, 16: 1, 17: 1 });
});

test('when a time range is given, then only events inside it count (from inclusive, to exclusive)', async () => {
	const { body } = await stats(`?from=${at(60)}&to=${at(180)}`);
	expect(body.from).toBe(at(60));
	expect(body.to).toBe(at(180));
	expect(body.totals).toMatchObject({
		clicks: 2,
		uniqueClickers: 1,
		views: 0,
		conversions: 1,
		revenue: 5,
	});
	expect(body.links).toEqual([
		{ url: info, clicks: 1, uniqueClickers: 1, views: 0, conversions: 0 }, // a tie: ordered by URL
		{ url: sale, clicks: 1, uniqueClickers: 1, views: 0, conversions: 0 },
	]);
});

test('when a campaign has no events, then the numbers are zero and rates without a base are null', async () => {
	const empty = (await server.api('POST', '/api/v1/campaigns', { name: 'empty' })).body.id;
	const res = await server.api('GET', `/api/v1/campaigns/${empty}/stats`);
	expect(res.status).toBe(200);
	expect(res.body.totals).toMatchObject({
		recipients: 0,
		sent: 0,
		clicks: 0,
		ctr: null,
		conversionRate: null,
		cost: null,
		roi: null,
	});
	expect(res.body.variants).toEqual([]);
	expect(res.body.timeline).toEqual([]);
	expect(res.body.medianSecondsToFirstClick).toBeNull();
});

test.each([
	['an unknown campaign', '/api/v1/campaigns/cmp_doesnotexist/stats', 404, 'campaign_not_found'],
	['an unknown time zone', 'STATS?timeZone=Mars/Olympus_Mons', 400, 'invalid_time_zone'],
	['an offset instead of a zone', 'STATS?timeZone=%2B02:00', 400, 'invalid_time_zone'],
	['a time zone with SQL in it', "STATS?timeZone=UTC'%3B--", 400, 'invalid_time_zone'],
	['a date that is not one', 'STATS?from=yesterday', 400, 'invalid_request'],
	['a date at the end of time', 'STATS?from=9999-12-31T23:59:59Z', 400, 'invalid_request'],
	['from after to', `STATS?from=${at(60)}&to=${at(0)}`, 400, 'invalid_request'],
	['a range over 2 years', 'STATS?from=2025-01-01&to=2027-01-01T00:00:01Z', 400, 'range_too_long'],
	['an unknown parameter', 'STATS?variant=A', 400, 'invalid_request'],
	['a repeated parameter', 'STATS?timeZone=UTC&timeZone=UTC', 400, 'invalid_time_zone'],
])(
	'when stats are asked with %s, then the answer is a 4xx with a code',
	async (_name, path, status, code) => {
		const res = await server.api('GET', path.replace('STATS', `/api/v1/campaigns/${id}/stats`));
		expect(res.status).toBe(status);
		expect(res.body.error.code).toBe(code);
	},
);

test('when the API key is missing, then stats are refused', async () => {
	const res = await fetch(`${server.url}/api/v1/campaigns/${id}/stats`);
	expect(res.status).toBe(401);
});

test('when recipients are listed, then each one has their own numbers, bots excluded', async () => {
	const res = await server.api('GET', `/api/v1/campaigns/${id}/recipients`);
	expect(res.status).toBe(200);
	expect(res.body.nextCursor).toBeNull();
	expect(res.body.recipients.map((r: any) => r.recipient)).toEqual(Object.values(people).sort());
	const byRecipient = Object.fromEntries(res.body.recipients.map((r: any) => [r.recipient, r]));
	expect(byRecipient[people.a1]).toEqual({
		recipient: people.a1,
		variant: 'A',
		status: 'delivered',
		sentAt: at(0),
		delivered: true,
		views: 1,
		clicks: 3,
		conversions: 0,
		revenue: 0,
		firstClickAt: at(10),
		lastClickAt: at(120),
		metadata: null,
	});
	expect(byRecipient[people.b1]).toMatchObject({
		variant: 'B',
		delivered: true,
		clicks: 1,
		conversions: 3,
		revenue: 25,
	});
	expect(byRecipient[people.b2]).toMatchObject({ clicks: 0, views: 0, firstClickAt: null });
	expect(byRecipient[people.h2]).toMatchObject({ variant: 'holdout', sentAt: null });
});

test.each([
	['clicked=true', [people.a1, people.a2, people.b1, people.h1]],
	// "no" filters leave out the hold-out and failed sends unless asked (recipients-segments.test.ts)
	['clicked=false', [people.a3, people.b2]],
	['clicked=false&holdout=include&status=', [people.a3, people.b2, people.h2]],
	['viewed=true', [people.a1, people.a3]],
	['converted=true', [people.a2, people.b1]],
	['converted=false&variant=A', [people.a1, people.a3]],
	['clicked=true&converted=false', [people.a1]],
	['variant=holdout', [people.h1, people.h2]],
	['variant=holdout&clicked=false', [people.h2]],
	['variant=C', []],
])(
	'when recipients are filtered by %s, then exactly the matching ones come back',
	async (query, expected) => {
		const res = await server.api('GET', `/api/v1/campaigns/${id}/recipients?${query}`);
		expect(res.status).toBe(200);
		expect(res.body.recipients.map((r: any) => r.recipient)).toEqual([...expected].sort());
	},
);

test('when recipients are paged, then the pages follow each other in a stable order without gaps or repeats', async () => {
	const seen: string[] = [];
	let cursor: string | null = null;
	let pages = 0;
	do {
		const res: any = await server.api(
			'GET',
			`/api/v1/campaigns/${id}/recipients?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
		);
		expect(res.status).toBe(200);
		expect(res.body.recipients.length).toBeLessThanOrEqual(2);
		seen.push(...res.body.recipients.map((r: any) => r.recipient));
		cursor = res.body.nextCursor;
		pages++;
	} while (cursor && pages < 20);
	expect(pages).toBe(5);
	expect(seen).toEqual(Object.values(people).sort());
	// filters and pages combine
	const first = await server.api('GET', `/api/v1/campaigns/${id}/recipients?clicked=true&limit=3`);
	const second = await server.api(
		'GET',
		`/api/v1/campaigns/${id}/recipients?clicked=true&limit=3&cursor=${first.body.nextCursor}`,
	);
	expect(
		[...first.body.recipients, ...second.body.recipients].map((r: any) => r.recipient),
	).toEqual([people.a1, people.a2, people.b1, people.h1]);
	expect(second.body.nextCursor).toBeNull();
});

test.each([
	['limit=0', 'invalid_request'],
	['limit=1001', 'invalid_request'],
	['limit=ten', 'invalid_request'],
	['clicked=yes', 'invalid_request'],
	['cursor=not-a-cursor', 'invalid_cursor'],
	['order=desc', 'invalid_request'],
])('when recipients are asked with %s, then the answer is 400', async (query, code) => {
	const res = await server.api('GET', `/api/v1/campaigns/${id}/recipients?${query}`);
	expect(res.status).toBe(400);
	expect(res.body.error.code).toBe(code);
});

test('when recipients of an unknown campaign are asked, then the answer is 404', async () => {
	const res = await server.api('GET', '/api/v1/campaigns/cmp_nope/recipients');
	expect(res.status).toBe(404);
});

test('when the whole campaign is answered from the rollups, then it equals the same evaluation computed from the raw events', async () => {
	const fromRollups = (await stats('?timeZone=Asia/Kolkata')).body;
	// every event, by a range that starts inside the first slot: answered by the range path
	// (slotted rollups plus the events of that partial slot), not by the whole-campaign rollups
	const fromEvents = (
		await stats(`?timeZone=Asia/Kolkata&from=${startingInFirstSlot}&to=2027-12-31`)
	).body;
	expect({ ...fromEvents, from: null, to: null }).toEqual(fromRollups);
});

test('when a delivery report changes a message and more events arrive, then the rollups follow', async () => {
	const other = await seedKnownCampaign(server, 'changes');
	await server.sql(
		`UPDATE messages SET status = 'delivered' WHERE campaign_id = $1 AND recipient = $2`,
		[other, people.a2],
	);
	await server.sql(`DELETE FROM messages WHERE campaign_id = $1 AND recipient = $2`, [
		other,
		people.b2,
	]);
	const more = {
		campaignId: other,
		recipient: people.a3,
		variant: 'A',
		url: sale,
		occurredAt: new Date(at(30)),
	};
	await storeEvents(server, [
		{ ...more, type: 'click' },
		{ ...more, type: 'click' },
		{ ...more, type: 'bot' },
	]);
	const fromRollups = (await server.api('GET', `/api/v1/campaigns/${other}/stats`)).body;
	const fromEvents = (
		await server.api(
			'GET',
			`/api/v1/campaigns/${other}/stats?from=${startingInFirstSlot}&to=2027-12-31`,
		)
	).body;
	expect(fromRollups.totals).toMatchObject({
		delivered: 3,
		sent: 5,
		segments: 9,
		clicks: 8,
		uniqueClickers: 5,
		recipients: 9,
	});
	expect(fromRollups.links[0]).toEqual({
		url: sale,
		clicks: 7,
		uniqueClickers: 5,
		views: 2,
		conversions: 1,
	});
	expect({ ...fromEvents, from: null, to: null }).toEqual(fromRollups);
});
