import { startTestServer, type TestServer } from '../../support/server';

let server: TestServer;
beforeAll(async () => {
	server = await startTestServer();
});
afterAll(() => server.close());

test('when a campaign is created with all settings, then it is returned with an id and read back the same', async () => {
	const input = {
		name: 'Black Friday',
		conversionTracking: true,
		fallbackUrl: 'https://shop.example/sale',
		utm: { source: 'sms', medium: 'sms', campaign: 'bf' },
		variants: [
			{ name: 'A', weight: 1 },
			{ name: 'B', weight: 1 },
		],
		holdout: 0.1,
		costPerSegment: 0.075,
		currency: 'eur',
	};
	const created = await server.api('POST', '/api/v1/campaigns', input);
	expect(created.status).toBe(201);
	expect(created.body).toMatchObject({ ...input, currency: 'EUR', fallbackUrl: 'https://shop.example/sale' });
	expect(created.body.id).toMatch(/^cmp_[0-9A-Za-z]{20}$/);

	const read = await server.api('GET', `/api/v1/campaigns/${created.body.id}`);
	expect(read.status).toBe(200);
	expect(read.body).toEqual(created.body);
});

test('when only a name is given, then the defaults are applied', async () => {
	const created = await server.api('POST', '/api/v1/campaigns', { name: 'Plain' });
	expect(created.body).toMatchObject({ name: 'Plain', conversionTracking: false, fallbackUrl: null, utm: null, variants: null, holdout: 0 });
});

test('when the campaign is unknown, then 404 campaign_not_found', async () => {
	const res = await server.api('GET', '/api/v1/campaigns/cmp_doesnotexist');
	expect(res.status).toBe(404);
	expect(res.body.error.code).toBe('campaign_not_found');
});

test('when campaigns are listed, then newest come first with a cursor to the next page', async () => {
	const a = await server.api('POST', '/api/v1/campaigns', { name: 'list-a' });
	const b = await server.api('POST', '/api/v1/campaigns', { name: 'list-b' });
	const page = await server.api('GET', '/api/v1/campaigns?limit=1');
	expect(page.body.campaigns[0].id).toBe(b.body.id);
	const next = await server.api('GET', `/api/v1/campaigns?limit=1&cursor=${page.body.nextCursor}`);
	expect(next.body.campaigns[0].id).toBe(a.body.id);
});
