import { startTestServer, type TestServer } from '../../support/server';
import { seedKnownCampaign } from '../../support/stats-seed';

let server: TestServer;
let known: string;
let empty: string;
beforeAll(async () => {
	server = await startTestServer();
	known = await seedKnownCampaign(server);
	empty = (await server.api('POST', '/api/v1/campaigns', { name: 'Nothing sent yet', costPerSegment: 0.1, currency: 'EUR' })).body.id;
});
afterAll(() => server.close());

test('when the campaign list is asked for with KPIs, then each campaign has the same totals as its stats', async () => {
	const res = await server.api('GET', '/api/v1/campaigns/kpis');
	expect(res.status).toBe(200);
	const row = res.body.campaigns.find((c: any) => c.id === known);
	const totals = (await server.api('GET', `/api/v1/campaigns/${known}/stats`)).body.totals;
	expect(row).toEqual({
		id: known,
		name: 'Known answers',
		createdAt: expect.any(String),
		archivedAt: null,
		currency: 'EUR',
		recipients: totals.recipients,
		sent: totals.sent,
		uniqueClickers: totals.uniqueClickers,
		ctr: totals.ctr,
		uniqueConverters: totals.uniqueConverters,
		conversionRate: totals.conversionRate,
		revenue: totals.revenue,
		cost: totals.cost,
		roi: totals.roi,
	});
});

test('when a campaign has no recipients yet, then its KPIs are zeros and its rates and ROI unknown', async () => {
	const { body } = await server.api('GET', '/api/v1/campaigns/kpis');
	expect(body.campaigns.find((c: any) => c.id === empty)).toMatchObject({
		recipients: 0,
		sent: 0,
		ctr: null,
		conversionRate: null,
		revenue: 0,
		cost: 0,
		roi: null,
	});
});

test('when the KPI list is paged, then the pages follow the campaign list order without repeats', async () => {
	const first = await server.api('GET', '/api/v1/campaigns/kpis?limit=1');
	expect(first.body.campaigns.map((c: any) => c.id)).toEqual([empty]);
	const second = await server.api('GET', `/api/v1/campaigns/kpis?limit=1&cursor=${first.body.nextCursor}`);
	expect(second.body.campaigns.map((c: any) => c.id)).toEqual([known]);
});

test('when the KPI list gets a parameter the campaign list does not know, then it is a 400', async () => {
	const res = await server.api('GET', '/api/v1/campaigns/kpis?orderBy=ctr');
	expect(res.status).toBe(400);
	expect(res.body.error.message).toMatch(/orderBy/);
});
