import { storeEvents } from '../../support/events';
import { startTestServer, type TestServer } from '../../support/server';

/**
 * Campaigns whose every KPI is known, with ties (the same CTR, revenue, ROI, recipients, and two
 * names equal but for case) and unknown figures (rates without recipients, ROI without a cost or
 * with a cost of 0). Each sends to `sent` of its `recipients` (one segment each), is clicked by
 * `clickers` of them and converted by one recipient per value in `conversions`.
 */
const specs = [
	{ name: 'Sortable Alpha', recipients: 4, sent: 4, clickers: 2, conversions: [10], costPerSegment: 0.5 },
	{ name: 'sortable beta', recipients: 2, sent: 0, clickers: 1, conversions: [], costPerSegment: null },
	{ name: 'Sortable Gamma', recipients: 0, sent: 0, clickers: 0, conversions: [], costPerSegment: 0.1 },
	{ name: 'Sortable delta', recipients: 0, sent: 0, clickers: 0, conversions: [], costPerSegment: null },
	{ name: 'Sortable Epsilon', recipients: 3, sent: 3, clickers: 0, conversions: [], costPerSegment: 1 },
	{ name: 'Sortable Zeta', recipients: 5, sent: 5, clickers: 5, conversions: [5, 5], costPerSegment: 1 },
	{ name: 'Sortable Eta', recipients: 4, sent: 4, clickers: 1, conversions: [20], costPerSegment: 1 },
	{ name: 'Sortable Theta', recipients: 2, sent: 0, clickers: 2, conversions: [10], costPerSegment: null },
	{ name: 'Sortable Iota (archived)', recipients: 2, sent: 2, clickers: 1, conversions: [], costPerSegment: 1, archived: true },
	{ name: 'SORTABLE ALPHA', recipients: 1, sent: 1, clickers: 1, conversions: [3], costPerSegment: 2 },
	{ name: 'Other campaign', recipients: 1, sent: 1, clickers: 1, conversions: [], costPerSegment: null },
];

type Spec = (typeof specs)[number];
interface Expected {
	id: string;
	created: number;
	archived: boolean;
	search: string;
	keys: Record<string, number | string | null>;
}

/** The KPIs of a spec, worked out here from what was sent, clicked and converted. */
function expectedKeys(spec: Spec, created: number): Expected['keys'] {
	const base = spec.sent > 0 ? spec.sent : spec.recipients;
	const revenue = spec.conversions.reduce((a, b) => a + b, 0);
	const cost = spec.costPerSegment === null ? null : spec.sent * spec.costPerSegment;
	return {
		createdAt: created,
		name: spec.name.toLowerCase(),
		recipients: spec.recipients,
		sent: spec.sent,
		uniqueClickers: spec.clickers,
		ctr: base ? spec.clickers / base : null,
		uniqueConverters: spec.conversions.length,
		conversionRate: base ? spec.conversions.length / base : null,
		revenue,
		cost,
		roi: cost ? (revenue - cost) / cost : null,
	};
}

/** The order the server must give: key, then id (both in the order asked), unknown keys last. */
function expectedOrder(campaigns: Expected[], sort: string, order: 'asc' | 'desc'): string[] {
	const sign = order === 'asc' ? 1 : -1;
	const compare = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);
	return [...campaigns]
		.sort((a, b) => {
			const x = a.keys[sort];
			const y = b.keys[sort];
			if (x === null || y === null) return x === y ? sign * compare(a.id, b.id) : x === null ? 1 : -1;
			return sign * (compare(x, y) || compare(a.id, b.id));
		})
		.map((c) => c.id);
}

let server: TestServer;
const campaigns: Expected[] = [];

async function seed(spec: Spec, created: number): Promise<Expected> {
	const { costPerSegment, archived = false } = spec as Spec & { archived?: boolean };
	const made = await server.api('POST', '/api/v1/campaigns', { name: spec.name, currency: 'EUR', ...(costPerSegment === null ? {} : { costPerSegment }) });
	const id: string = made.body.id;
	const people = Array.from({ length: spec.recipients }, (_, i) => `+49151${String(created).padStart(3, '0')}${String(i).padStart(5, '0')}`);
	if (people.length) {
		const links = (await server.api('POST', `/api/v1/campaigns/${id}/links`, { recipients: people.map((recipient) => ({ recipient, urls: ['https://shop.example/sale'] })) })).body.links;
		for (const recipient of people.slice(0, spec.sent))
			await server.sql(
				`INSERT INTO messages (campaign_id, recipient, provider, provider_message_id, segments, status, sent_at)
				 VALUES ($1, $2, 'seven', $3, 1, 'sent', now())`,
				[id, recipient, `${id}-${recipient}`],
			);
		const code = (recipient: string) => links.find((l: { recipient: string }) => l.recipient === recipient).code;
		await storeEvents(server, [
			...people.slice(0, spec.clickers).map((recipient) => ({ type: 'click' as const, campaignId: id, recipient, code: code(recipient), url: 'https://shop.example/sale' })),
			...spec.conversions.map((value, i) => ({
				type: 'conversion' as const,
				campaignId: id,
				recipient: people[i],
				conversionName: 'purchase',
				conversionValue: value,
				conversionCurrency: 'EUR',
			})),
		]);
	}
	if (archived) await server.api('POST', `/api/v1/campaigns/${id}/archive`);
	return { id, created, archived, search: spec.name.toLowerCase(), keys: expectedKeys(spec, created) };
}

beforeAll(async () => {
	server = await startTestServer();
	for (const [i, spec] of specs.entries()) campaigns.push(await seed(spec, i));
});
afterAll(() => server.close());

/** Every page of the list, three campaigns at a time, following nextCursor. */
async function walk(query: string, from: string | null = null): Promise<Array<Record<string, any>>> {
	const seen: Array<Record<string, any>> = [];
	let cursor = from;
	do {
		const res = await server.api('GET', `/api/v1/campaigns/kpis?limit=3&${query}${cursor ? `&cursor=${cursor}` : ''}`);
		expect(res.status).toBe(200);
		expect(res.body.campaigns.length).toBeLessThanOrEqual(3);
		seen.push(...res.body.campaigns);
		cursor = res.body.nextCursor;
	} while (cursor);
	return seen;
}

const sortable = () => campaigns.filter((c) => c.search.includes('sortable'));

test('when the KPI list is sorted by a figure, then every campaign has the figures worked out from its sends, clicks and conversions', async () => {
	const listed = await walk('sort=roi&order=desc&status=all');
	expect(listed).toHaveLength(campaigns.length);
	for (const c of campaigns) {
		const row = listed.find((r) => r.id === c.id)!;
		for (const key of ['recipients', 'sent', 'uniqueClickers', 'ctr', 'uniqueConverters', 'conversionRate', 'revenue', 'cost', 'roi'])
			expect([c.id, key, row[key]]).toEqual([c.id, key, c.keys[key]]);
	}
});

const sorts = ['createdAt', 'name', 'recipients', 'sent', 'uniqueClickers', 'ctr', 'uniqueConverters', 'conversionRate', 'revenue', 'cost', 'roi'];

test.each(sorts.flatMap((sort) => (['asc', 'desc'] as const).map((order) => [sort, order] as const)))(
	'when the searched list is sorted by %s %s, then its pages together follow that order over every campaign, ties by id and unknown figures last',
	async (sort, order) => {
		const active = sortable().filter((c) => !c.archived);
		const listed = await walk(`search=SORTABLE&sort=${sort}&order=${order}`);
		expect(listed.map((c) => c.id)).toEqual(expectedOrder(active, sort, order));
	},
);

test('when the list is sorted by a figure with the archived campaigns included, then the order takes them in', async () => {
	const listed = await walk('search=sortable&status=all&sort=ctr&order=asc');
	expect(listed.map((c) => c.id)).toEqual(expectedOrder(sortable(), 'ctr', 'asc'));
	const archived = await walk('search=sortable&status=archived&sort=ctr&order=asc');
	expect(archived.map((c) => c.id)).toEqual(expectedOrder(sortable().filter((c) => c.archived), 'ctr', 'asc'));
});

test('when no sort is given, then the list is newest first', async () => {
	const listed = await walk('status=all');
	expect(listed.map((c) => c.id)).toEqual(expectedOrder(campaigns, 'createdAt', 'desc'));
});

test('when campaigns change between two pages, then the next page resumes at the cursor\'s position, without repeating or skipping the others', async () => {
	const first = await server.api('GET', '/api/v1/campaigns/kpis?search=sortable&sort=uniqueClickers&order=desc&limit=3');
	const active = sortable().filter((c) => !c.archived);
	expect(first.body.campaigns.map((c: { id: string }) => c.id)).toEqual(expectedOrder(active, 'uniqueClickers', 'desc').slice(0, 3));
	// the last campaign of the page moves ahead, a new one without clicks joins the end
	const moved = first.body.campaigns[2].id as string;
	const [link] = await server.sql<{ code: string }>('SELECT code FROM links WHERE campaign_id = $1 LIMIT 1', [moved]);
	await storeEvents(server, [{ type: 'click', campaignId: moved, recipient: '+4915199999999', code: link.code, url: 'https://shop.example/sale' }]);
	const late = (await server.api('POST', '/api/v1/campaigns', { name: 'Sortable late' })).body.id as string;
	const rest = await walk('search=sortable&sort=uniqueClickers&order=desc', first.body.nextCursor);
	const lateExpected = { id: late, created: campaigns.length, archived: false, search: 'sortable late', keys: { uniqueClickers: 0 } };
	expect(rest.map((c) => c.id)).toEqual(expectedOrder([...active, lateExpected], 'uniqueClickers', 'desc').slice(3));
});

test('when the sort or the order is not one the list knows, then it is a 400 naming it', async () => {
	for (const [query, field] of [
		['sort=clicks', 'sort'],
		['sort=CTR', 'sort'],
		['order=up', 'order'],
	]) {
		const res = await server.api('GET', `/api/v1/campaigns/kpis?${query}`);
		expect(res.status).toBe(400);
		expect(res.body.error.code).toBe('invalid_request');
		expect(res.body.error.message).toMatch(field);
	}
});

test('when a cursor of one order is given with another, or a cursor is made up, then it is a 400 invalid_cursor', async () => {
	const page = await server.api('GET', '/api/v1/campaigns/kpis?sort=ctr&limit=1');
	for (const query of [`sort=ctr&order=asc&cursor=${page.body.nextCursor}`, `sort=revenue&cursor=${page.body.nextCursor}`, 'sort=ctr&cursor=not-a-cursor']) {
		const res = await server.api('GET', `/api/v1/campaigns/kpis?${query}`);
		expect(res.status).toBe(400);
		expect(res.body.error.code).toBe('invalid_cursor');
	}
	const madeUp = Buffer.from(JSON.stringify(['ctr', 'desc', 'abc', 'cmp_x'])).toString('base64url');
	expect((await server.api('GET', `/api/v1/campaigns/kpis?sort=ctr&cursor=${madeUp}`)).body.error.code).toBe('invalid_cursor');
});
