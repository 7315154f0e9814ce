import type { EventType } from '../../../server/src/events/types';
import { csvRecords } from '../../support/csv';
import { storeEvents } from '../../support/events';
import { seededRandom } from '../../support/random';
import { startTestServer, type TestServer } from '../../support/server';

/**
 * GET …/recipients and recipients.csv with from/to: every recipient of the campaign, with the
 * views, clicks, conversions, revenue and clicks' times of the range, and the filters on what
 * recipients did asking about the range. Property: for random events and random ranges, each
 * equals what is computed here from the raw events.
 */

const seed = Number(process.env.STATS_RANGE_SEED ?? Date.now() % 1_000_000);
const rnd = seededRandom(seed);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
const start = Date.parse('2026-11-20T06:00:00Z');
const span = 60 * 3_600_000;
const urls = ['https://shop.example/a', 'https://shop.example/b'];
const people = Array.from({ length: 30 }, (_, i) => `+49151${String(i).padStart(7, '0')}`);

interface Ev {
	type: EventType;
	at: number;
	recipient: string;
	url: string | null;
	deviceType: string | null;
	country: string | null;
	value: number | null;
	currency: string | null;
}

let server: TestServer;
let campaignId: string;
const events: Ev[] = [];

beforeAll(async () => {
	server = await startTestServer();
	campaignId = (
		await server.api('POST', '/api/v1/campaigns', { name: 'recipient ranges', currency: 'EUR' })
	).body.id;
	await server.api('POST', `/api/v1/campaigns/${campaignId}/links`, {
		recipients: people.map((recipient) => ({ recipient, urls })),
	});
	for (let i = 0; i < 500; i++) {
		const type = pick<EventType>([
			'click',
			'click',
			'click',
			'view',
			'conversion',
			'delivered',
			'bot',
		]);
		events.push({
			type,
			at: start + Math.floor(rnd() * span),
			// the last people never act: they are listed with zeros
			recipient: pick(people.slice(0, 25)),
			url: type === 'delivered' ? null : pick(urls),
			deviceType: pick(['mobile', 'Desktop', null]),
			country: pick(['DE', 'AT', null]),
			value: type === 'conversion' ? pick([null, 10, 24.5]) : null,
			currency: type === 'conversion' ? pick(['EUR', 'USD', null]) : null,
		});
	}
	await storeEvents(
		server,
		events.map((e) => ({
			type: e.type,
			campaignId,
			occurredAt: new Date(e.at),
			recipient: e.recipient,
			url: e.url,
			deviceType: e.deviceType,
			country: e.country,
			conversionName: e.type === 'conversion' ? 'purchase' : null,
			conversionValue: e.value,
			conversionCurrency: e.currency,
		})),
	);
});
afterAll(() => server.close());

/** Random ranges: open at either end, a few hours, most of the span. */
const ranges = [
	...Array.from({ length: 3 }, () => {
		const a = start + Math.floor(rnd() * span);
		const b = start + Math.floor(rnd() * span);
		return [Math.min(a, b), Math.max(a, b) + 1] as [number | null, number | null];
	}),
	[start + Math.floor(rnd() * span), null] as [number | null, number | null],
	[null, start + Math.floor(rnd() * span)] as [number | null, number | null],
];

function expected(from: number | null, to: number | null) {
	const inRange = events.filter(
		(e) => (from === null || e.at >= from) && (to === null || e.at < to) && e.type !== 'bot',
	);
	return people.map((recipient) => {
		const own = inRange.filter((e) => e.recipient === recipient);
		const clicks = own.filter((e) => e.type === 'click').map((e) => e.at);
		const conversions = own.filter((e) => e.type === 'conversion');
		return {
			recipient,
			views: own.filter((e) => e.type === 'view').length,
			clicks: clicks.length,
			conversions: conversions.length,
			revenue: conversions
				.filter((e) => e.currency !== 'USD')
				.reduce((sum, e) => sum + (e.value ?? 0), 0),
			firstClickAt: clicks.length ? new Date(Math.min(...clicks)).toISOString() : null,
			lastClickAt: clicks.length ? new Date(Math.max(...clicks)).toISOString() : null,
			clickedUrls: new Set(own.filter((e) => e.type === 'click').map((e) => e.url)),
			clickedFrom: new Set(
				own.filter((e) => e.type === 'click').map((e) => e.deviceType?.toLowerCase()),
			),
			clickedIn: new Set(own.filter((e) => e.type === 'click').map((e) => e.country)),
		};
	});
}

const rangeQuery = (from: number | null, to: number | null) =>
	[
		from !== null ? `from=${new Date(from).toISOString()}` : '',
		to !== null ? `to=${new Date(to).toISOString()}` : '',
	]
		.filter(Boolean)
		.join('&');

async function listAll(query: string, limit = 1000) {
	const rows: any[] = [];
	let cursor: string | null = null;
	do {
		const res = await server.api(
			'GET',
			`/api/v1/campaigns/${campaignId}/recipients?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
		);
		expect(res.status).toBe(200);
		rows.push(...res.body.recipients);
		cursor = res.body.nextCursor;
	} while (cursor);
	return rows;
}

test.each(ranges)(
	`when recipients are listed for a range (%p to %p, seed ${seed}), then each campaign recipient has the figures of their events in it`,
	async (from, to) => {
		const want = expected(from, to);
		const rows = await listAll(rangeQuery(from, to), 7);
		expect(rows.map((r) => r.recipient)).toEqual(want.map((w) => w.recipient));
		for (const [i, w] of want.entries())
			expect(rows[i]).toMatchObject({
				views: w.views,
				clicks: w.clicks,
				conversions: w.conversions,
				revenue: w.revenue,
				firstClickAt: w.firstClickAt,
				lastClickAt: w.lastClickAt,
			});
		// and they add up to the stats of the range (no anonymous event, no erasure here)
		const stats = (
			await server.api('GET', `/api/v1/campaigns/${campaignId}/stats?${rangeQuery(from, to)}`)
		).body.totals;
		const sum = (pick: (r: any) => number) => rows.reduce((n, r) => n + pick(r), 0);
		expect({
			clicks: sum((r) => r.clicks),
			uniqueClickers: sum((r) => Number(r.clicks > 0)),
			views: sum((r) => r.views),
			conversions: sum((r) => r.conversions),
		}).toEqual({
			clicks: stats.clicks,
			uniqueClickers: stats.uniqueClickers,
			views: stats.views,
			conversions: stats.conversions,
		});
	},
);

test.each(ranges)(
	`when a segment is asked for a range (%p to %p, seed ${seed}), then clicked, viewed, converted, url, deviceType and country are about the range`,
	async (from, to) => {
		const want = expected(from, to);
		const range = rangeQuery(from, to);
		const who = async (filter: string) =>
			(await listAll(`${range}&${filter}`)).map((r) => r.recipient);
		const whoWant = (match: (w: (typeof want)[number]) => boolean) =>
			want.filter(match).map((w) => w.recipient);
		expect(await who('clicked=true')).toEqual(whoWant((w) => w.clicks > 0));
		expect(await who('clicked=false')).toEqual(whoWant((w) => w.clicks === 0));
		expect(await who('viewed=true')).toEqual(whoWant((w) => w.views > 0));
		expect(await who('converted=false')).toEqual(whoWant((w) => w.conversions === 0));
		expect(await who(`url=${encodeURIComponent(urls[1])}`)).toEqual(
			whoWant((w) => w.clickedUrls.has(urls[1])),
		);
		expect(await who('deviceType=desktop&country=de')).toEqual(
			whoWant((w) => w.clickedFrom.has('desktop') && w.clickedIn.has('DE')),
		);
	},
);

test.each(ranges)(
	`when recipients.csv is downloaded for a range (%p to %p, seed ${seed}), then it lists the recipients of the segment with the range's figures, and local first clicks`,
	async (from, to) => {
		const want = expected(from, to).filter((w) => w.clicks > 0);
		const res = await server.api(
			'GET',
			`/api/v1/campaigns/${campaignId}/recipients.csv?${rangeQuery(from, to)}&clicked=true&timeZone=Europe/Berlin`,
		);
		expect(res.status).toBe(200);
		expect(res.headers.get('content-disposition')).toMatch(
			/-recipients-(\d{4}-\d\d-\d\d|start)_(\d{4}-\d\d-\d\d|now)\.csv"/,
		);
		const rows = csvRecords(res.body);
		// "YYYY-MM-DD HH:MM:SS[.fff]", as PostgreSQL writes it: no trailing zeros in the fraction
		const cell = (iso: string | null) =>
			iso
				?.replace('T', ' ')
				.replace(/Z$/, '')
				.replace(/\.?0+$/, '') ?? '';
		expect(rows.map((r) => r.recipient)).toEqual(want.map((w) => `'${w.recipient}`));
		for (const [i, w] of want.entries()) {
			expect(rows[i]).toMatchObject({
				views: String(w.views),
				clicks: String(w.clicks),
				conversions: String(w.conversions),
				first_click_at_utc: cell(w.firstClickAt),
				last_click_at_utc: cell(w.lastClickAt),
				// November: Berlin is UTC+1
				first_click_at_local: cell(new Date(Date.parse(w.firstClickAt!) + 3_600_000).toISOString()),
			});
			expect(Number(rows[i].revenue)).toBe(w.revenue);
		}
	},
);

test('when a range is asked for one send wave, then it is a 400 naming the range (a wave lists its own whole figures)', async () => {
	const res = await server.api(
		'GET',
		`/api/v1/campaigns/${campaignId}/recipients?wave=Initial&from=${new Date(start).toISOString()}`,
	);
	expect(res.status).toBe(400);
	expect(res.body.error.message).toMatch(/not with from/);
});
