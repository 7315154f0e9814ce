import type { EventType, NewEvent } from '../../../server/src/events/types';
import { storeEvents } from '../../support/events';
import { seededRandom } from '../../support/random';
import { startTestServer, type TestServer } from '../../support/server';
import { waitFor } from '../../support/wait';

/**
 * Ranged stats come from 15-minute rollups plus at most two partial slots read from the events.
 * Property: for random events and random ranges (on slot boundaries, cutting slots, inside one
 * slot, open-ended), every figure equals the same figure computed here from the raw events.
 */

const seed = Number(process.env.STATS_RANGE_SEED ?? Date.now() % 1_000_000);
const rnd = seededRandom(seed);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
const slot = 15 * 60_000;
const start = Date.parse('2026-11-20T06:00:00Z');
const span = 60 * 3_600_000; // 60 hours: every timeline is hourly, so buckets are local hours
const sentAt = new Date(start - 3_600_000);
const urls = ['https://shop.example/a', 'https://shop.example/b'];
const waves = ['Initial', 'Reminder'];

interface Ev {
	type: EventType;
	at: number;
	/** null: an anonymous event (counted for its link and in breakdowns' clicks, never as a recipient) */
	recipient: string | null;
	variant: string | null;
	wave: string;
	url: string | null;
	deviceType: string | null;
	os: string | null;
	browser: string | null;
	country: string | null;
	value: number | null;
	currency: string | null;
}

let server: TestServer;
let campaignId: string;
const events: Ev[] = [];
const variantOf = new Map<string, string>();

beforeAll(async () => {
	server = await startTestServer();
	const created = await server.api('POST', '/api/v1/campaigns', {
		name: 'ranges',
		variants: [{ name: 'A' }, { name: 'B' }],
		holdout: 0.2,
		currency: 'EUR',
	});
	campaignId = created.body.id;
	const people = Array.from({ length: 40 }, (_, i) => `+49151${String(i).padStart(7, '0')}`);
	const links = await server.api('POST', `/api/v1/campaigns/${campaignId}/links`, {
		recipients: people.map((recipient) => ({ recipient, urls })),
	});
	for (const l of links.body.links) variantOf.set(l.recipient, l.variant);
	for (const recipient of people) {
		await server.sql(
			`INSERT INTO messages (campaign_id, recipient, variant, provider, provider_message_id, segments, status, sent_at)
			 VALUES ($1, $2, $3, 'seven', $4, 1, 'sent', $5)`,
			[campaignId, recipient, variantOf.get(recipient), `${campaignId}-${recipient}`, sentAt],
		);
	}
	for (let i = 0; i < 600; i++) {
		const type = pick<EventType>([
			'click',
			'click',
			'click',
			'view',
			'conversion',
			'delivered',
			'failed',
			'bot',
		]);
		// a third of the events sit exactly on or next to a slot boundary
		const onEdge = rnd() < 0.33;
		const at = onEdge
			? start + Math.floor(rnd() * (span / slot)) * slot + pick([0, -1, 1, 999])
			: start + Math.floor(rnd() * span);
		const anonymous = ['click', 'view', 'conversion'].includes(type) && rnd() < 0.05;
		const recipient = anonymous ? null : pick(people);
		events.push({
			type,
			at,
			recipient,
			variant: recipient === null ? null : variantOf.get(recipient)!,
			wave: pick(waves),
			url: type === 'delivered' || type === 'failed' || rnd() < 0.1 ? null : pick(urls),
			deviceType: pick(['mobile', 'desktop', null]),
			os: pick(['iOS', 'Android', null]),
			browser: pick(['Chrome', 'Safari']),
			country: pick(['DE', 'AT', null]),
			value: type === 'conversion' ? pick([null, 10, 24.5]) : null,
			currency: type === 'conversion' ? pick(['EUR', 'USD', null]) : null,
		});
	}
	// through the real insert path, in batches as the redirect's group commits write them
	for (let i = 0; i < events.length; i += 150) {
		await storeEvents(
			server,
			events
				.slice(i, i + 150)
				.map((e): Partial<NewEvent> & Pick<NewEvent, 'type' | 'campaignId'> => ({
					type: e.type,
					campaignId,
					occurredAt: new Date(e.at),
					recipient: e.recipient,
					variant: e.variant,
					wave: e.wave,
					url: e.url,
					deviceType: e.deviceType,
					os: e.os,
					browser: e.browser,
					country: e.country,
					conversionName: e.type === 'conversion' ? 'purchase' : null,
					conversionValue: e.value,
					conversionCurrency: e.currency,
				})),
		);
	}
	// a request folds what is queued but skips a batch the server's background folder is folding at
	// that moment (docs/stats.md#how-it-stays-fast): the property starts once nothing is queued
	await server.api('GET', `/api/v1/campaigns/${campaignId}/stats`);
	await waitFor(
		async () =>
			(
				await server.sql('SELECT count(*)::int AS n FROM stats_pending WHERE campaign_id = $1', [
					campaignId,
				])
			)[0].n,
		{ what: 'the seeded events to be folded', until: (n) => n === 0 },
	);
});
afterAll(() => server.close());

function localParts(ms: number, timeZone: string) {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone,
		hourCycle: 'h23',
		hour: 'numeric',
		minute: 'numeric',
		weekday: 'short',
	}).formatToParts(new Date(ms));
	const get = (type: string) => parts.find((p) => p.type === type)!.value;
	return {
		hour: Number(get('hour')),
		minute: Number(get('minute')),
		isoDay: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(get('weekday')) + 1,
	};
}

const count = <T>(xs: T[], key: (x: T) => string) =>
	xs.reduce((m, x) => m.set(key(x), (m.get(key(x)) ?? 0) + 1), new Map<string, number>());

/** Every figure of GET …/stats for [from, to) (of one wave), computed from the raw events. */
function expected(from: number | null, to: number | null, timeZone: string, wave?: string) {
	const inRange = events.filter(
		(e) =>
			e.type !== 'bot' &&
			(from === null || e.at >= from) &&
			(to === null || e.at < to) &&
			(wave === undefined || e.wave === wave),
	);
	const metrics = (variant: string | null, ofWave?: string) => {
		const mine = inRange.filter(
			(e) =>
				e.recipient !== null &&
				(variant === null || e.variant === variant) &&
				(!ofWave || e.wave === ofWave),
		);
		const who = (type: EventType) =>
			new Set(mine.filter((e) => e.type === type).map((e) => e.recipient));
		const clickers = who('click');
		const delivered = who('delivered');
		// every recipient has a link and a sent message of the wave 'Initial'; another wave knows
		// the recipients of its events at any time (not only in the range), none of them sent to
		const theWave = ofWave ?? wave ?? 'Initial';
		const sentTo =
			theWave === 'Initial'
				? [...variantOf].filter(([, v]) => variant === null || v === variant).map(([r]) => r)
				: [];
		const known =
			ofWave === undefined && wave === undefined
				? sentTo
				: [
						...sentTo,
						...events
							.filter((e) => e.type !== 'bot' && e.wave === theWave && e.recipient !== null)
							.filter((e) => variant === null || e.variant === variant)
							.map((e) => e.recipient),
					];
		return {
			recipients: new Set([...known, ...mine.map((e) => e.recipient)]).size,
			sent: sentTo.length,
			views: mine.filter((e) => e.type === 'view').length,
			uniqueViewers: who('view').size,
			clicks: mine.filter((e) => e.type === 'click').length,
			uniqueClickers: clickers.size,
			conversions: mine.filter((e) => e.type === 'conversion').length,
			uniqueConverters: who('conversion').size,
			convertedClickers: [...who('conversion')].filter((r) => clickers.has(r)).length,
			delivered: delivered.size,
			failed: [...who('failed')].filter((r) => !delivered.has(r)).length,
			revenue: mine
				.filter((e) => e.type === 'conversion' && e.currency !== 'USD')
				.reduce((sum, e) => sum + (e.value ?? 0), 0),
		};
	};
	// Do-Not-Track anonymous clicks and views count in the totals (of the wave asked for, if one),
	// never as a recipient
	const withAnonymous = (m: ReturnType<typeof metrics>) => {
		const anonymous = (type: EventType) => inRange.filter((e) => e.recipient === null && e.type === type).length;
		return { ...m, clicks: m.clicks + anonymous('click'), views: m.views + anonymous('view') };
	};
	const clicks = inRange.filter((e) => e.type === 'click');
	const firstClicks = new Map<string, number>();
	for (const c of clicks)
		if (c.recipient !== null)
			firstClicks.set(c.recipient, Math.min(c.at, firstClicks.get(c.recipient) ?? Infinity));
	const waits = [...firstClicks.values()]
		.map((t) => (t - sentAt.getTime()) / 1000)
		.sort((a, b) => a - b);
	const mid = (waits.length - 1) / 2;
	const median = waits.length
		? waits[Math.floor(mid)] + (waits[Math.ceil(mid)] - waits[Math.floor(mid)]) * (mid % 1)
		: null;
	const timeline = new Map<string, { clicks: number; views: number; conversions: number }>();
	for (const e of inRange.filter((e) => ['click', 'view', 'conversion'].includes(e.type))) {
		const { minute } = localParts(e.at, timeZone);
		const bucket = new Date(e.at - (e.at % 60_000) - minute * 60_000).toISOString();
		const row = timeline.get(bucket) ?? { clicks: 0, views: 0, conversions: 0 };
		row[`${e.type}s` as 'clicks' | 'views' | 'conversions'] += 1;
		timeline.set(bucket, row);
	}
	// every figure of a breakdown's rows: over clicks, views and conversions carrying the value
	const breakdown = (key: (e: Ev) => string | null, unknown: string | null = 'unknown') => {
		const rows = new Map<string, Ev[]>();
		for (const e of inRange.filter((x) => ['click', 'view', 'conversion'].includes(x.type))) {
			const k = key(e) ?? unknown;
			if (k === null) continue;
			rows.set(k, [...(rows.get(k) ?? []), e]);
		}
		const figures = [...rows].map(([k, mine]) => {
			const who = (type?: EventType) =>
				new Set(
					mine
						.filter((e) => e.recipient !== null && (!type || e.type === type))
						.map((e) => e.recipient),
				).size;
			return [
				k,
				{
					recipients: who(),
					clicks: mine.filter((e) => e.type === 'click').length,
					uniqueClickers: who('click'),
					conversions: mine.filter((e) => e.type === 'conversion').length,
					uniqueConverters: who('conversion'),
					revenue: mine
						.filter((e) => e.type === 'conversion' && e.currency !== 'USD')
						.reduce((sum, e) => sum + (e.value ?? 0), 0),
				},
			] as const;
		});
		// a row of anonymous views alone has nothing to show
		return Object.fromEntries(
			figures.filter(([, f]) => f.recipients + f.clicks + f.conversions > 0),
		);
	};
	return {
		totals: withAnonymous(metrics(null)),
		variants: Object.fromEntries(['A', 'B', 'holdout'].map((v) => [v, metrics(v)])),
		// a wave the campaign has (here: links, or events at any time) is reported for any range
		waves: Object.fromEntries(
			waves
				.filter((w) => w === 'Initial' || events.some((e) => e.wave === w && e.type !== 'bot'))
				.map((w) => [w, metrics(null, w)]),
		),
		links: Object.fromEntries(
			urls.map((url) => {
				const mine = inRange.filter((e) => e.url === url);
				const c = mine.filter((e) => e.type === 'click');
				return [
					url,
					{
						clicks: c.length,
						uniqueClickers: new Set(c.filter((e) => e.recipient !== null).map((e) => e.recipient))
							.size,
						views: mine.filter((e) => e.type === 'view').length,
						conversions: mine.filter((e) => e.type === 'conversion').length,
					},
				];
			}),
		),
		breakdowns: {
			deviceType: breakdown((e) => e.deviceType),
			os: breakdown((e) => e.os),
			browser: breakdown((e) => e.browser),
			country: breakdown((e) => e.country),
			hourOfDay: breakdown((e) => String(localParts(e.at, timeZone).hour)),
			dayOfWeek: breakdown((e) => String(localParts(e.at, timeZone).isoDay)),
			// events without a link have no row here
			link: breakdown((e) => e.url, null),
		},
		timeline: Object.fromEntries(timeline),
		medianSecondsToFirstClick: median,
		otherCurrencies: Object.fromEntries(
			[
				...count(
					inRange.filter((e) => e.type === 'conversion' && e.currency === 'USD'),
					() => 'USD',
				),
			].map(([currency, n]) => [
				currency,
				{
					conversions: n,
					revenue: inRange
						.filter((e) => e.type === 'conversion' && e.currency === currency)
						.reduce((sum, e) => sum + (e.value ?? 0), 0),
				},
			]),
		),
	};
}

/** The same shape, read from the server's answer. */
function answered(body: any) {
	const metrics = (m: any) => ({
		recipients: m.recipients,
		sent: m.sent,
		views: m.views,
		uniqueViewers: m.uniqueViewers,
		clicks: m.clicks,
		uniqueClickers: m.uniqueClickers,
		conversions: m.conversions,
		uniqueConverters: m.uniqueConverters,
		convertedClickers: Math.round((m.conversionRateOfClickers ?? 0) * m.uniqueClickers),
		delivered: m.delivered,
		failed: m.failed,
		revenue: m.revenue,
	});
	const keyed = (rows: any[]) =>
		Object.fromEntries(
			rows
				.filter((r) => r.recipients + r.clicks + r.conversions > 0)
				.map((r) => [
					String(r.key),
					{
						recipients: r.recipients,
						clicks: r.clicks,
						uniqueClickers: r.uniqueClickers,
						conversions: r.conversions,
						uniqueConverters: r.uniqueConverters,
						revenue: r.revenue,
					},
				]),
		);
	return {
		totals: metrics(body.totals),
		variants: Object.fromEntries(
			['A', 'B', 'holdout'].map((v) => [
				v,
				metrics(body.variants.find((x: any) => x.variant === v) ?? {}),
			]),
		),
		waves: Object.fromEntries(body.waves.map((w: any) => [w.wave, metrics(w)])),
		links: Object.fromEntries(body.links.map(({ url, ...rest }: any) => [url, rest])),
		breakdowns: {
			deviceType: keyed(body.breakdowns.deviceType),
			os: keyed(body.breakdowns.os),
			browser: keyed(body.breakdowns.browser),
			country: keyed(body.breakdowns.country),
			hourOfDay: keyed(body.breakdowns.hourOfDay),
			dayOfWeek: keyed(body.breakdowns.dayOfWeek),
			link: keyed(body.breakdowns.link),
		},
		timeline: Object.fromEntries(
			body.timeline
				.filter((t: any) => t.clicks + t.views + t.conversions > 0)
				.map(({ bucket, ...rest }: any) => [bucket, rest]),
		),
		medianSecondsToFirstClick: body.medianSecondsToFirstClick,
		otherCurrencies: Object.fromEntries(
			body.otherCurrencies.map(({ currency, ...rest }: any) => [currency, rest]),
		),
	};
}

/** A random range: on slot boundaries, cutting slots, within one slot, open-ended or all-covering. */
function randomRange(): [number | null, number | null] {
	const anyTime = () => start - slot + Math.floor(rnd() * (span + 2 * slot));
	const onSlot = () => Math.floor(anyTime() / slot) * slot;
	const kind = pick(['slots', 'cut', 'cut', 'mixed', 'inside', 'across', 'open', 'all']);
	if (kind === 'inside') {
		const s = onSlot() + 1 + Math.floor(rnd() * (slot / 2));
		return [s, s + 1 + Math.floor(rnd() * (slot / 2 - 2))];
	}
	if (kind === 'across') {
		const edge = onSlot();
		return [edge - 1 - Math.floor((rnd() * slot) / 2), edge + 1 + Math.floor((rnd() * slot) / 2)];
	}
	if (kind === 'open') return rnd() < 0.5 ? [anyTime(), null] : [null, anyTime()];
	if (kind === 'all') return [start - 3_600_000, start + span + 3_600_000];
	const a = kind === 'slots' ? onSlot() : anyTime();
	const b = kind === 'cut' ? anyTime() : onSlot();
	return a < b ? [a, b] : b < a ? [b, a] : [a, a + slot];
}

test(`when stats are asked for random ranges, then every figure equals the one computed from the raw events (seed ${seed})`, async () => {
	for (let i = 0; i < 40; i++) {
		const [from, to] = randomRange();
		const timeZone = pick(['UTC', 'Europe/Berlin', 'Asia/Kolkata']);
		const query = new URLSearchParams({ timeZone });
		if (from !== null) query.set('from', new Date(from).toISOString());
		if (to !== null) query.set('to', new Date(to).toISOString());
		const res = await server.api('GET', `/api/v1/campaigns/${campaignId}/stats?${query}`);
		expect(res.status).toBe(200);
		const want = expected(from, to, timeZone);
		const got = answered(res.body);
		const label = `range ${query}`;
		expect({ label, ...got, medianSecondsToFirstClick: null }).toEqual({
			label,
			...want,
			medianSecondsToFirstClick: null,
		});
		if (want.medianSecondsToFirstClick === null) expect(got.medianSecondsToFirstClick).toBeNull();
		else expect(got.medianSecondsToFirstClick).toBeCloseTo(want.medianSecondsToFirstClick, 3);

		// the same range limited to one wave
		const wave = pick(waves);
		query.set('wave', wave);
		const one = await server.api('GET', `/api/v1/campaigns/${campaignId}/stats?${query}`);
		expect(one.status).toBe(200);
		const { totals, links, breakdowns, timeline, otherCurrencies } = answered(one.body);
		const wantOne = expected(from, to, timeZone, wave);
		expect({
			label: `${label} wave ${wave}`,
			totals,
			links,
			breakdowns,
			timeline,
			otherCurrencies,
		}).toEqual({
			label: `${label} wave ${wave}`,
			totals: wantOne.totals,
			links: wantOne.links,
			breakdowns: wantOne.breakdowns,
			timeline: wantOne.timeline,
			otherCurrencies: wantOne.otherCurrencies,
		});
	}
});

test.each([
	['from after to', 'from=2026-11-21T00:00:00Z&to=2026-11-20T00:00:00Z', 'invalid_request'],
	['a range over 2 years', 'from=2026-01-01&to=2028-01-02', 'range_too_long'],
	[
		'an unknown time zone',
		'from=2026-11-20&to=2026-11-21&timeZone=Europe/Atlantis',
		'invalid_time_zone',
	],
])(
	'when a range is asked with %s, then the answer is a 400 given before the database is touched',
	async (_n, query, code) => {
		const res = await server.api('GET', `/api/v1/campaigns/${campaignId}/stats?${query}`);
		expect(res.status).toBe(400);
		expect(res.body.error.code).toBe(code);
		// refused before the campaign is even looked up (a 404 otherwise), so before any fold writes
		const unknown = await server.api('GET', `/api/v1/campaigns/cmp_doesnotexist/stats?${query}`);
		expect(unknown.status).toBe(400);
		expect(unknown.body.error.code).toBe(code);
	},
);
