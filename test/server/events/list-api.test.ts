import { insertEvents } from '../../../server/src/events/store';
import { request, startTestServer, type TestServer } from '../../support/server';
import { chromeOnAndroid, createCampaignWithLinks, hit } from '../../support/short-links';
import { userAgents } from '../../support/user-agents';

let server: TestServer;
let campaignId: string;
let code: string;
beforeAll(async () => {
	server = await startTestServer({ COUNTRY_HEADER: 'cf-ipcountry' });
	({
		campaignId,
		codes: [code],
	} = await createCampaignWithLinks(
		server,
		{ conversionTracking: true, variants: [{ name: 'A' }, { name: 'B' }] },
		[{ recipient: '+4915112345678', urls: ['https://shop.example/sale'], variant: 'B' }],
	));
	await hit(`${server.url}/${code}`, { userAgent: userAgents.whatsAppIos });
	for (let i = 0; i < 4; i++)
		await hit(`${server.url}/${code}`, {
			userAgent: chromeOnAndroid,
			headers: { 'cf-ipcountry': 'AT' },
		});
	await hit(`${server.url}/${code}`, { userAgent: userAgents.curl });
});
afterAll(() => server.close());

test('when a campaign has events, then they are listed oldest first in the agreed shape', async () => {
	const res = await server.api('GET', `/api/v1/campaigns/${campaignId}/events`);
	expect(res.status).toBe(200);
	expect(res.body.nextCursor).toBeNull();
	expect(res.body.events.map((e: any) => e.type)).toEqual([
		'view',
		'click',
		'click',
		'click',
		'click',
		'bot',
	]);
	const click = res.body.events[1];
	expect(click).toEqual({
		id: expect.stringMatching(/^\d+$/),
		type: 'click',
		occurredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
		code,
		recipient: '+4915112345678',
		variant: 'B',
		wave: 'Initial',
		url: 'https://shop.example/sale',
		clickId: expect.stringMatching(/^[A-Za-z0-9]{22}$/),
		device: { type: 'mobile', os: 'Android', browser: 'Chrome' },
		country: 'AT',
		recipientMetadata: null,
	});
	expect(res.body.events[0].device).toEqual({ type: null, os: null, browser: 'WhatsApp' });
});

test('when filtered by type and paged, then every matching event comes exactly once across the pages', async () => {
	const seen: string[] = [];
	let cursor: string | null = null;
	let pages = 0;
	do {
		const query: string = `type=click,view&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
		const res = await server.api('GET', `/api/v1/campaigns/${campaignId}/events?${query}`);
		expect(res.status).toBe(200);
		expect(res.body.events.length).toBeLessThanOrEqual(2);
		seen.push(...res.body.events.map((e: any) => `${e.type}:${e.id}`));
		cursor = res.body.nextCursor;
		pages++;
	} while (cursor && pages < 10);
	expect(pages).toBe(3);
	expect(seen.map((s) => s.split(':')[0])).toEqual(['view', 'click', 'click', 'click', 'click']);
	expect(new Set(seen).size).toBe(5);
});

test.each([
	['an unknown type', 'type=clicks', 400],
	['a limit of 0', 'limit=0', 400],
	['a limit above 1000', 'limit=1001', 400],
	['a cursor that is not one', 'cursor=abc', 400],
])('when the query has %s, then it is a 400 with the error shape', async (_name, query, status) => {
	const res = await server.api('GET', `/api/v1/campaigns/${campaignId}/events?${query}`);
	expect(res.status).toBe(status);
	expect(res.body.error).toEqual({ code: expect.any(String), message: expect.any(String) });
});

test('when the campaign does not exist, then 404; without the API key, 401', async () => {
	expect((await server.api('GET', '/api/v1/campaigns/cmp_nope/events')).status).toBe(404);
	expect((await request(`${server.url}/api/v1/campaigns/${campaignId}/events`)).status).toBe(401);
});

test('when a campaign has more events than fit in a page, then pages follow the storage order numerically (id 10 after id 9)', async () => {
	const { campaignId: other } = await createCampaignWithLinks(server, {}, [
		{ recipient: '+4915112345679', urls: ['https://shop.example/'] },
	]);
	await insertEvents(
		server.db,
		Array.from({ length: 25 }, (_, i) => ({
			eventKey: `order-${i}`,
			type: 'click' as const,
			occurredAt: new Date(),
			campaignId: other,
			clickId: `orderClickId${i}`,
		})),
	);
	const ids: number[] = [];
	let cursor: string | null = null;
	do {
		const res: any = await server.api(
			'GET',
			`/api/v1/campaigns/${other}/events?limit=7${cursor ? `&cursor=${cursor}` : ''}`,
		);
		ids.push(...res.body.events.map((e: any) => Number(e.id)));
		cursor = res.body.nextCursor;
	} while (cursor);
	expect(ids).toHaveLength(25);
	expect(ids).toEqual([...ids].sort((a, b) => a - b));
	expect(Math.max(...ids)).toBeGreaterThanOrEqual(10);
});
