import { randomBytes } from 'node:crypto';
import { startTestServer, type TestServer } from '../../support/server';

let server: TestServer;
beforeAll(async () => {
	server = await startTestServer();
});
afterAll(() => server.close());

/** A word no other test's campaign has, so each test lists only its own campaigns. */
const uniqueTag = () => `t${randomBytes(5).toString('hex')}`;

async function create(name: string): Promise<{ id: string; name: string; createdAt: string }> {
	const res = await server.api('POST', '/api/v1/campaigns', { name });
	expect(res.status).toBe(201);
	return res.body;
}

const list = async (query: string) => server.api('GET', `/api/v1/campaigns?${query}`);
const namesOf = (res: { body: { campaigns: Array<{ name: string }> } }) =>
	res.body.campaigns.map((c) => c.name);

test('when campaigns are searched by any part of the name in any case, then only those match, newest first', async () => {
	const tag = uniqueTag();
	await create(`Black Friday ${tag}`);
	await create(`Cyber Monday ${tag}`);
	await create(`black friday reminder ${tag}`);
	const res = await list('search=FRIDAY&limit=500');
	expect(res.status).toBe(200);
	const mine = namesOf(res).filter((n) => n.endsWith(tag));
	expect(mine).toEqual([`black friday reminder ${tag}`, `Black Friday ${tag}`]);

	const byTag = await list(`search=${tag.toUpperCase()}`);
	expect(namesOf(byTag)).toEqual([
		`black friday reminder ${tag}`,
		`Cyber Monday ${tag}`,
		`Black Friday ${tag}`,
	]);
});

test('when the search holds % or _, then they match literally, not as wildcards', async () => {
	const tag = uniqueTag();
	await create(`50% off ${tag}`);
	await create(`50 off ${tag}`);
	await create(`a_b ${tag}`);
	await create(`axb ${tag}`);
	expect(namesOf(await list(`search=${encodeURIComponent(`50% off ${tag}`)}`))).toEqual([
		`50% off ${tag}`,
	]);
	expect(namesOf(await list(`search=${encodeURIComponent(`a_b ${tag}`)}`))).toEqual([`a_b ${tag}`]);
});

test('when a search has more matches than the limit, then the cursor pages through the matches only', async () => {
	const tag = uniqueTag();
	for (const n of [1, 2, 3, 4, 5]) await create(`page ${n} ${tag}`);
	await create(`other ${uniqueTag()}`);
	const seen: string[] = [];
	let cursor = '';
	for (let page = 0; page < 5; page++) {
		const res = await list(`search=${tag}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
		expect(res.status).toBe(200);
		seen.push(...namesOf(res));
		if (!res.body.nextCursor) break;
		cursor = res.body.nextCursor;
	}
	expect(seen).toEqual([5, 4, 3, 2, 1].map((n) => `page ${n} ${tag}`));
});

test('when campaigns are filtered by creation time, then only those created in the range are listed', async () => {
	const tag = uniqueTag();
	const first = await create(`early ${tag}`);
	const second = await create(`late ${tag}`);
	await server.sql(`UPDATE campaigns SET created_at = '2025-01-15T00:00:00Z' WHERE id = $1`, [
		first.id,
	]);
	const res = await list(
		`search=${tag}&createdFrom=2025-01-01T00:00:00Z&createdTo=2025-02-01T00:00:00Z`,
	);
	expect(namesOf(res)).toEqual([`early ${tag}`]);
	const after = await list(`search=${tag}&createdFrom=${encodeURIComponent(second.createdAt)}`);
	expect(namesOf(after)).toEqual([`late ${tag}`]);
});

test('when the search is asked of the planner, then the trigram index can answer it (no full scan is needed)', async () => {
	const explained = await server.db.withTransaction(async (tx) => {
		await tx.query(`SET LOCAL enable_seqscan = off`);
		const { rows } = await tx.query<{ 'QUERY PLAN': string }>(
			`EXPLAIN SELECT id FROM campaigns WHERE lower(name) LIKE '%friday%'`,
		);
		return rows.map((r) => r['QUERY PLAN']).join('\n');
	});
	expect(explained).toContain('campaigns_name_search');
});

test.each([
	['an unknown status', 'status=deleted', /status must be one of active, archived, all/],
	['a limit of 0', 'limit=0', /limit must be a whole number from 1 to 500/],
	[
		'a created date that is not ISO 8601',
		'createdFrom=yesterday',
		/createdFrom must be an ISO 8601/,
	],
	[
		'a range that ends before it starts',
		'createdFrom=2026-02-01T00:00:00Z&createdTo=2026-01-01T00:00:00Z',
		/createdFrom must not be after createdTo/,
	],
	['an unknown parameter', 'q=friday', /unknown query parameter\(s\): q/],
	['the search given twice', 'search=a&search=b', /search must be text/],
])(
	'when the list is asked with %s, then 400 with a message naming it',
	async (_case, query, message) => {
		const res = await list(query);
		expect(res.status).toBe(400);
		expect(res.body.error.code).toBe('invalid_request');
		expect(res.body.error.message).toMatch(message);
	},
);
