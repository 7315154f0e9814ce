import { startTestServer, type TestServer } from '../../support/server';

let server: TestServer;
beforeAll(async () => {
	server = await startTestServer({ PUBLIC_BASE_URL: 'https://go.shop.example' });
});
afterAll(() => server.close());

async function campaign(extra: Record<string, unknown> = {}): Promise<string> {
	const res = await server.api('POST', '/api/v1/campaigns', { name: 'links', ...extra });
	return res.body.id;
}

test('when links are created, then each recipient gets one short link per destination', async () => {
	const id = await campaign();
	const res = await server.api('POST', `/api/v1/campaigns/${id}/links`, {
		recipients: [
			{ recipient: '+4915112345678', urls: ['https://shop.example/a', 'https://shop.example/b?x=1'] },
			{ recipient: '+4915187654321', urls: ['https://shop.example/a'] },
		],
	});
	expect(res.status).toBe(200);
	expect(res.body.links).toHaveLength(3);
	const codes = res.body.links.map((l: any) => l.code);
	expect(new Set(codes).size).toBe(3);
	for (const link of res.body.links) {
		expect(link.code).toMatch(/^[0-9A-Za-z]{8}$/);
		expect(link.shortUrl).toBe(`https://go.shop.example/${link.code}`);
	}
	expect(res.body.links[1]).toMatchObject({ recipient: '+4915112345678', url: 'https://shop.example/b?x=1', variant: null });
	const rows = await server.sql('SELECT code, recipient, destination, link_index FROM links WHERE campaign_id = $1 ORDER BY recipient, link_index', [id]);
	expect(rows).toHaveLength(3);
});

test('when the same links are created again (a retried execution), then the same codes come back and nothing is added', async () => {
	const id = await campaign();
	const body = { recipients: [{ recipient: '+4915112345678', urls: ['https://shop.example/a', 'https://shop.example/b'] }] };
	const first = await server.api('POST', `/api/v1/campaigns/${id}/links`, body);
	const second = await server.api('POST', `/api/v1/campaigns/${id}/links`, body);
	expect(second.body.links.map((l: any) => l.code)).toEqual(first.body.links.map((l: any) => l.code));
	const [{ count }] = await server.sql('SELECT count(*)::int AS count FROM links WHERE campaign_id = $1', [id]);
	expect(count).toBe(2);
});

test('when two identical requests race, then both get the same codes', async () => {
	const id = await campaign();
	const body = { recipients: Array.from({ length: 200 }, (_, i) => ({ recipient: `+491510000${String(i).padStart(4, '0')}`, urls: ['https://shop.example/race'] })) };
	const [a, b] = await Promise.all([
		server.api('POST', `/api/v1/campaigns/${id}/links`, body),
		server.api('POST', `/api/v1/campaigns/${id}/links`, body),
	]);
	expect(a.status).toBe(200);
	expect(b.status).toBe(200);
	expect(a.body.links.map((l: any) => l.code)).toEqual(b.body.links.map((l: any) => l.code));
});

test('when the recipient is written nationally or with 00, then it is stored in E.164', async () => {
	const local = await startTestServer({ DEFAULT_CALLING_CODE: '49' });
	try {
		const id = (await local.api('POST', '/api/v1/campaigns', { name: 'phones' })).body.id;
		const res = await local.api('POST', `/api/v1/campaigns/${id}/links`, {
			recipients: [
				{ recipient: '0151 123 456 78', urls: ['https://shop.example/'] },
				{ recipient: '0049 (151) 87654321', urls: ['https://shop.example/'] },
			],
		});
		expect(res.body.links.map((l: any) => l.recipient)).toEqual(['+4915112345678', '+4915187654321']);
	} finally {
		await local.close();
	}
});

test('when the campaign has variants, then recipients without one are assigned deterministically', async () => {
	const id = await campaign({ variants: [{ name: 'A', weight: 1 }, { name: 'B', weight: 1 }], holdout: 0.2 });
	const recipients = Array.from({ length: 300 }, (_, i) => ({ recipient: `+4917000${String(i).padStart(5, '0')}`, urls: ['https://shop.example/ab'] }));
	const first = await server.api('POST', `/api/v1/campaigns/${id}/links`, { recipients });
	const variants = first.body.links.map((l: any) => l.variant);
	expect(new Set(variants)).toEqual(new Set(['A', 'B', 'holdout']));
	const holdouts = variants.filter((v: string) => v === 'holdout').length;
	expect(holdouts).toBeGreaterThan(30);
	expect(holdouts).toBeLessThan(90);
	const again = await server.api('POST', `/api/v1/campaigns/${id}/links`, { recipients });
	expect(again.body.links.map((l: any) => l.variant)).toEqual(variants);
});

test('when expiresAt is given, then it is stored and a later call can move it', async () => {
	const id = await campaign();
	const body = (expiresAt: string) => ({ recipients: [{ recipient: '+4915112345678', urls: ['https://shop.example/x'] }], expiresAt });
	await server.api('POST', `/api/v1/campaigns/${id}/links`, body('2030-01-01T00:00:00Z'));
	await server.api('POST', `/api/v1/campaigns/${id}/links`, body('2031-01-01T00:00:00Z'));
	const [row] = await server.sql('SELECT expires_at FROM links WHERE campaign_id = $1', [id]);
	expect(row.expires_at.toISOString()).toBe('2031-01-01T00:00:00.000Z');
});

test('when 100,000 links are created with short codes that must collide, then every code is unique and every link is stored', async () => {
	// 4 characters: 62^4 ≈ 14.8 M codes, so ~340 collisions are expected among 100,000: they must be retried, not lost.
	const short = await startTestServer({ CODE_LENGTH: '4', DATABASE_POOL_SIZE: '2' });
	try {
		const id = (await short.api('POST', '/api/v1/campaigns', { name: 'bulk' })).body.id;
		const recipients = Array.from({ length: 50_000 }, (_, i) => ({
			recipient: `+4915${String(i).padStart(9, '0')}`,
			urls: ['https://shop.example/one', 'https://shop.example/two'],
		}));
		const res = await short.api('POST', `/api/v1/campaigns/${id}/links`, { recipients });
		expect(res.status).toBe(200);
		expect(res.body.links).toHaveLength(100_000);
		expect(new Set(res.body.links.map((l: any) => l.code)).size).toBe(100_000);
		const [{ count, codes }] = await short.sql('SELECT count(*)::int AS count, count(DISTINCT code)::int AS codes FROM links WHERE campaign_id = $1', [id]);
		expect(count).toBe(100_000);
		expect(codes).toBe(100_000);
	} finally {
		await short.close();
	}
});
