import { startTestServer, type TestServer } from '../../support/server';

let server: TestServer;
beforeAll(async () => {
	server = await startTestServer({ DEFAULT_CALLING_CODE: 'DE' });
});
afterAll(() => server.close());

const count = async () => Number((await server.sql('SELECT count(*) AS n FROM opt_outs'))[0].n);
const clear = () => server.sql('DELETE FROM opt_outs');

beforeEach(clear);

test('when numbers are added, then they are listed once, in E.164, newest first, and adding again changes nothing', async () => {
	const first = await server.api('POST', '/api/v1/opt-outs', {
		phones: ['+49 151 0000 0001', '0151 00000002', '+4915100000001'],
		reason: 'asked by phone',
	});
	expect(first.status).toBe(201);
	expect(first.body).toEqual({ added: ['+4915100000001', '+4915100000002'], alreadyListed: 0 });

	const again = await server.api('POST', '/api/v1/opt-outs', { phones: ['+4915100000002'] });
	expect(again.status).toBe(200);
	expect(again.body).toEqual({ added: [], alreadyListed: 1 });

	const one = await server.api('GET', `/api/v1/opt-outs/${encodeURIComponent('+4915100000002')}`);
	expect(one.body).toMatchObject({
		phone: '+4915100000002',
		source: 'api',
		reason: 'asked by phone',
	});
	expect(await count()).toBe(2);
});

test('when the list is paged, then every number comes exactly once', async () => {
	const phones = Array.from({ length: 25 }, (_, i) => `+491510000${String(i).padStart(4, '0')}`);
	// in three calls, so some share a created_at and some do not
	for (const part of [phones.slice(0, 10), phones.slice(10, 20), phones.slice(20)])
		await server.api('POST', '/api/v1/opt-outs', { phones: part });
	const seen: string[] = [];
	let cursor: string | null = '';
	while (cursor !== null) {
		const page: any = await server.api(
			'GET',
			`/api/v1/opt-outs?limit=7&cursor=${encodeURIComponent(cursor)}`,
		);
		expect(page.status).toBe(200);
		seen.push(...page.body.optOuts.map((o: any) => o.phone));
		cursor = page.body.nextCursor;
	}
	expect(seen.sort()).toEqual([...phones].sort());
});

test('when a Send asks which recipients opted out, then only the listed ones come back', async () => {
	await server.api('POST', '/api/v1/opt-outs', { phones: ['+4915100000001'] });
	const check = await server.api('POST', '/api/v1/opt-outs/check', {
		phones: ['+4915100000001', '015100000009'],
	});
	expect(check.body).toEqual({ optedOut: ['+4915100000001'] });
});

test('when a number is removed, then it is gone, and removing it again is a 404', async () => {
	await server.api('POST', '/api/v1/opt-outs', { phones: ['+4915100000001'] });
	const removed = await server.api(
		'DELETE',
		`/api/v1/opt-outs/${encodeURIComponent('+4915100000001')}`,
	);
	expect(removed.status).toBe(204);
	expect(await count()).toBe(0);
	const again = await server.api(
		'DELETE',
		`/api/v1/opt-outs/${encodeURIComponent('+4915100000001')}`,
	);
	expect(again.status).toBe(404);
	expect(again.body.error.message).toContain('+4915100000001');
});

test.each([
	['no phones', {}, 'phones'],
	['an empty list', { phones: [] }, 'phones'],
	['one bad number among good ones', { phones: ['+4915100000001', 'call me'] }, 'phones[1]'],
	['an unknown field', { phones: ['+4915100000001'], campaign: 'x' }, 'campaign'],
	['a reason too long', { phones: ['+4915100000001'], reason: 'x'.repeat(201) }, 'reason'],
	[
		'too many numbers',
		{ phones: Array.from({ length: 10_001 }, () => '+4915100000001') },
		'phones',
	],
])(
	'when an add has %s, then 400 names the field and nothing is written',
	async (_case, body, field) => {
		const res = await server.api('POST', '/api/v1/opt-outs', body);
		expect(res.status).toBe(400);
		expect(res.body.error.message).toContain(field);
		expect(await count()).toBe(0);
	},
);

test('when the cursor or the limit is not one the API gives, then 400', async () => {
	expect((await server.api('GET', '/api/v1/opt-outs?cursor=abc')).status).toBe(400);
	expect((await server.api('GET', '/api/v1/opt-outs?limit=0')).status).toBe(400);
	expect(
		(await server.api('GET', `/api/v1/opt-outs/${encodeURIComponent('not a phone')}`)).status,
	).toBe(400);
});

test('when the API key is missing, then 401 and nothing is written', async () => {
	const res = await fetch(`${server.url}/api/v1/opt-outs`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ phones: ['+4915100000001'] }),
	});
	expect(res.status).toBe(401);
	expect(await count()).toBe(0);
});
