import { journalsLoaded, request, startTestServer, type TestServer } from '../../support/server';
import { at, people, sale, seedKnownCampaign } from '../../support/stats-seed';
import { storeEvents } from '../../support/events';

// Erasure of a person (DELETE /api/v1/recipients/{phone}) on real PostgreSQL: everything about the
// number leaves every table while each campaign's figures stay exactly as they were.
let server: TestServer;
beforeAll(async () => {
	server = await startTestServer({
		DEFAULT_CALLING_CODE: 'DE',
		FALLBACK_URL: 'https://fallback.example/',
		WEBHOOK_DISPATCHER: 'off',
	});
});
afterAll(() => server.close());

const person = people.a1; // +4915100000001: in both campaigns, clicked, viewed, has a message
const digits = person.slice(1);

/** Every table and column that can hold text, with the rows where the number appears. */
async function placesHolding(text: string): Promise<string[]> {
	const columns = await server.sql<{ table_name: string; column_name: string }>(
		`SELECT c.table_name, c.column_name FROM information_schema.columns c
		 JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
		 WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
		   AND c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'ARRAY', 'bytea', 'inet')`,
	);
	expect(columns.length).toBeGreaterThan(40);
	const found: string[] = [];
	for (const { table_name, column_name } of columns) {
		const [{ n }] = await server.sql(
			`SELECT count(*)::int AS n FROM "${table_name}" WHERE "${column_name}"::text LIKE $1`,
			[`%${text}%`],
		);
		if (n > 0) found.push(`${table_name}.${column_name}`);
	}
	return found;
}

/** The answers that must not change: whole campaign, a time range with partial slots, one wave. */
async function figures(campaignIds: string[]) {
	const out: unknown[] = [];
	for (const id of campaignIds) {
		for (const query of ['', `?from=${at(5)}&to=${at(125)}`, '?wave=Initial']) {
			const res = await server.api('GET', `/api/v1/campaigns/${id}/stats${query}`);
			expect(res.status).toBe(200);
			out.push(res.body);
		}
	}
	const traits = await server.sql(
		`SELECT campaign_id, trait, value, count(*)::int AS n FROM stats_recipient_traits
		 WHERE campaign_id = ANY($1) GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
		[campaignIds],
	);
	const slots = await server.sql(
		`SELECT campaign_id, slot, url, wave, sum(clicks)::int AS clicks, sum(views)::int AS views,
		        sum(conversions)::int AS conversions, count(DISTINCT recipient)::int AS recipients
		 FROM stats_recipient_slots WHERE campaign_id = ANY($1) GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
		[campaignIds],
	);
	return { stats: out, traits, slots };
}

/** Rows per table: a refused request must leave every one as it was. */
async function rowCounts(): Promise<Record<string, number>> {
	const tables = await server.sql<{ table_name: string }>(
		`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
		 ORDER BY 1`,
	);
	const counts: Record<string, number> = {};
	for (const { table_name } of tables) {
		counts[table_name] = (await server.sql(`SELECT count(*)::int AS n FROM "${table_name}"`))[0].n;
	}
	return counts;
}

let campaigns: string[];
let personCodes: string[];

beforeAll(async () => {
	campaigns = [await seedKnownCampaign(server, 'First'), await seedKnownCampaign(server, 'Second')];
	// metadata, a real click through the redirect (user agent, IP hash, click id) and a pending
	// "first click per recipient" delivery, in the first campaign
	await server.api('POST', `/api/v1/campaigns/${campaigns[0]}/links`, {
		recipients: [{ recipient: person, urls: [sale], metadata: { name: 'Ana', phone: person } }],
	});
	const hook = await server.api('POST', '/api/v1/webhooks', {
		url: 'https://hooks.example/n8n',
		events: ['click', 'view', 'conversion'],
		filters: { firstPerRecipient: true },
	});
	expect(hook.status).toBe(201);
	const rows = await server.sql<{ code: string }>('SELECT code FROM links WHERE recipient = $1', [
		person,
	]);
	personCodes = rows.map((r) => r.code);
	await storeEvents(server, [
		{
			type: 'click',
			campaignId: campaigns[0],
			recipient: person,
			code: personCodes[0],
			url: sale,
			variant: 'A',
			wave: 'Initial',
			occurredAt: new Date(at(15)),
			clickId: 'erasureclick1',
			userAgent: 'Mozilla/5.0 (iPhone)',
			ipHash: 'hash-of-ana',
		},
	]);
	// a click through the redirect: its link is now in the redirect's cache
	const opened = await fetch(`${server.url}/${personCodes[0]}`, {
		redirect: 'manual',
		headers: { 'user-agent': 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)' },
	});
	expect(opened.status).toBe(302);
	await journalsLoaded();
	await server.api('POST', '/api/v1/opt-outs', { phones: [person] });
	await server.sql(
		`UPDATE messages SET error = 'unreachable: ' || recipient WHERE recipient = $1`,
		[person],
	);
});

test('when a write key erases a number, then it is in no table but the opt-out list, and every figure is unchanged', async () => {
	const order = { campaignId: campaigns[0], recipient: person, name: 'purchase', value: 20, idempotencyKey: 'order-ana-1' };
	expect((await server.api('POST', '/api/v1/conversions', order)).status).toBe(201);
	const before = await figures(campaigns);
	expect((before.stats[0] as any).totals.clicks).toBeGreaterThan(0);
	expect(await placesHolding(digits)).toEqual(
		expect.arrayContaining([
			'links.recipient',
			'messages.recipient',
			'events.recipient',
			'recipient_metadata.metadata',
			'webhook_deliveries.first_key',
		]),
	);

	const writer = (await server.api('POST', '/api/v1/keys', { name: 'eraser', scopes: ['write'] }))
		.body;
	const res = await request(
		`${server.url}/api/v1/recipients/${encodeURIComponent('0151 00000001')}`,
		'DELETE',
		undefined,
		{ authorization: `Bearer ${writer.key}` },
	);
	expect(res.status).toBe(200);
	expect(res.body).toMatchObject({
		erasureId: expect.stringMatching(/^era_/),
		campaigns: 2,
		links: 4, // sale and info in each campaign
		messages: 2,
		metadata: 1,
		deliveriesCancelled: 2, // the first click and the conversion, both pending
		optOutKept: true,
	});
	expect(res.body.events).toBe(11);

	expect(await placesHolding(digits)).toEqual(['opt_outs.phone']);
	expect(await figures(campaigns)).toEqual(before);
	// conversions' keys are claimed in event_keys too; a conversion's key digests the number
	const erasedKeys = await server.sql<{ event_key: string }>(
		`SELECT k.event_key FROM event_keys k JOIN events e ON e.id = k.event_id AND e.occurred_at = k.occurred_at
		 WHERE e.recipient LIKE 'erased\\_%'`,
	);
	expect(erasedKeys.length).toBeGreaterThan(0);
	expect(erasedKeys.filter((k) => !k.event_key.startsWith('erased_'))).toEqual([]);

	const audit = await server.sql('SELECT * FROM erasures');
	expect(audit).toEqual([
		expect.objectContaining({
			id: res.body.erasureId,
			key_id: writer.id,
			campaigns: 2,
			links: 4,
			opt_out_kept: true,
		}),
	]);

	// the recipients list holds phone numbers only: the pseudonym is counted, never listed
	const listed = await server.api('GET', `/api/v1/campaigns/${campaigns[0]}/recipients?limit=100`);
	expect(listed.body.recipients.map((r: any) => r.recipient)).not.toContainEqual(
		expect.not.stringMatching(/^\+/),
	);
	expect(listed.body.recipients).toHaveLength(8);
});

test('when an erased short link is opened, then it redirects to the fallback and records nothing', async () => {
	// one of them was cached by the redirect before the erasure
	const eventsBefore = (await server.sql('SELECT count(*)::int AS n FROM events'))[0].n;
	for (const code of personCodes) {
		const res = await fetch(`${server.url}/${code}`, { redirect: 'manual' });
		expect(res.status).toBe(302);
		expect(res.headers.get('location')).toBe('https://fallback.example/');
	}
	await journalsLoaded();
	expect((await server.sql('SELECT count(*)::int AS n FROM events'))[0].n).toBe(eventsBefore);
});

test('when a number nothing is stored about is erased, then the answer counts zero and nothing changes', async () => {
	const before = await rowCounts();
	const res = await server.api(
		'DELETE',
		`/api/v1/recipients/${encodeURIComponent('+4915199999999')}`,
	);
	expect(res.status).toBe(200);
	expect(res.body).toEqual({
		erasureId: null,
		erasedAt: null,
		campaigns: 0,
		links: 0,
		messages: 0,
		events: 0,
		metadata: 0,
		deliveriesCancelled: 0,
		optOutKept: false,
	});
	expect(await rowCounts()).toEqual(before);
});

test.each([
	['not a number', 'abc', 400, 'invalid_phone'],
	['too short', '+49123', 400, 'invalid_phone'],
	['letters inside', '+49151abc0002', 400, 'invalid_phone'],
])(
	'when the number is %s (%s), then the answer is %i and nothing changes',
	async (_what, phone, status, code) => {
		const before = await rowCounts();
		const res = await server.api('DELETE', `/api/v1/recipients/${encodeURIComponent(phone)}`);
		expect(res.status).toBe(status);
		expect(res.body.error.code).toBe(code);
		expect(res.body.error.message).toMatch(/phone/);
		expect(await rowCounts()).toEqual(before);
	},
);

test('when a read or webhooks key asks for an erasure, then it is refused with 403 and nothing changes', async () => {
	const before = await rowCounts();
	for (const scopes of [['read'], ['webhooks']]) {
		const key = (await server.api('POST', '/api/v1/keys', { name: `no ${scopes[0]}`, scopes }))
			.body;
		const res = await request(
			`${server.url}/api/v1/recipients/${encodeURIComponent(people.a2)}`,
			'DELETE',
			undefined,
			{ authorization: `Bearer ${key.key}` },
		);
		expect(res.status).toBe(403);
		expect(res.body.error.code).toBe('forbidden');
	}
	const after = await rowCounts();
	expect({ ...after, api_keys: 0 }).toEqual({ ...before, api_keys: 0 });
	expect(
		(await server.sql('SELECT count(*)::int AS n FROM links WHERE recipient = $1', [people.a2]))[0]
			.n,
	).toBe(2);
});

test('when a person is erased right after their click was stored, then the click counts under the pseudonym whether or not it was folded yet', async () => {
	const phone = '+4915100000077';
	const campaign = (await server.api('POST', '/api/v1/campaigns', { name: 'just clicked' })).body
		.id;
	const links = await server.api('POST', `/api/v1/campaigns/${campaign}/links`, {
		recipients: [{ recipient: phone, urls: [sale] }],
	});
	await storeEvents(server, [
		{
			type: 'click',
			campaignId: campaign,
			recipient: phone,
			code: links.body.links[0].code,
			url: sale,
			wave: 'Initial',
		},
	]);
	const res = await server.api('DELETE', `/api/v1/recipients/${encodeURIComponent(phone)}`);
	expect(res.body).toMatchObject({ campaigns: 1, links: 1, events: 1 });

	const stats = await server.api('GET', `/api/v1/campaigns/${campaign}/stats`);
	expect(stats.body.totals).toMatchObject({ recipients: 1, clicks: 1, uniqueClickers: 1 });
	expect(stats.body.links).toEqual([
		expect.objectContaining({ url: sale, clicks: 1, uniqueClickers: 1 }),
	]);
	expect(await placesHolding(phone.slice(1))).toEqual([]);
});
