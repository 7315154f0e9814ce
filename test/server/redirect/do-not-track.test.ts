import { storeEvents } from '../../support/events';
import { startTestServer, type TestServer } from '../../support/server';
import { chromeOnAndroid, createCampaignWithLinks, hit } from '../../support/short-links';

// DO_NOT_TRACK=anonymous: a visitor who sends DNT or Sec-GPC is counted, never identified, and
// starts no workflow.
let server: TestServer;
beforeAll(async () => {
	server = await startTestServer({ DO_NOT_TRACK: 'anonymous', WEBHOOK_DISPATCHER: 'off' });
});
afterAll(() => server.close());

const iMessagePreview = 'Mozilla/5.0 (Macintosh) facebookexternalhit/1.1 Facebot Twitterbot/1.0';

test('when Do-Not-Track visitors click and preview, then the hits count in the totals and links, store no recipient and send no webhook', async () => {
	const person = '+4915112340001';
	const { campaignId, codes } = await createCampaignWithLinks(server, {}, [
		{ recipient: person, urls: ['https://shop.example/'] },
	]);
	const hook = await server.api('POST', '/api/v1/webhooks', {
		url: 'http://127.0.0.1:9/hook',
		events: ['click', 'view'],
		campaignId,
	});
	expect(hook.status).toBe(201);

	const url = `${server.url}/${codes[0]}`;
	await hit(url, { userAgent: chromeOnAndroid }); // identified
	await hit(url, { userAgent: chromeOnAndroid, headers: { dnt: '1' } });
	await hit(url, { userAgent: chromeOnAndroid, headers: { 'sec-gpc': '1' } });
	await hit(url, { userAgent: iMessagePreview, headers: { dnt: '1' } });

	const events = await server.sql(
		`SELECT e.type, e.recipient, e.code, e.device_type, e.browser,
		        (SELECT count(*)::int FROM webhook_deliveries d WHERE d.event_id = e.id) AS deliveries
		 FROM events e WHERE e.campaign_id = $1 ORDER BY e.id`,
		[campaignId],
	);
	expect(events).toEqual([
		{
			type: 'click',
			recipient: person,
			code: codes[0],
			device_type: 'mobile',
			browser: 'Chrome',
			deliveries: 1,
		},
		{ type: 'click', recipient: null, code: null, device_type: null, browser: null, deliveries: 0 },
		{ type: 'click', recipient: null, code: null, device_type: null, browser: null, deliveries: 0 },
		{ type: 'view', recipient: null, code: null, device_type: null, browser: null, deliveries: 0 },
	]);

	// an earlier delivery report, so that a time range after it is not the whole campaign
	await storeEvents(server, [
		{
			type: 'delivered',
			campaignId,
			recipient: person,
			wave: 'Initial',
			occurredAt: new Date(Date.now() - 3 * 3_600_000),
		},
	]);

	const stats = await server.api('GET', `/api/v1/campaigns/${campaignId}/stats`);
	expect(stats.body.totals).toMatchObject({
		recipients: 1,
		clicks: 3,
		uniqueClickers: 1,
		views: 1,
		uniqueViewers: 0,
	});
	expect(stats.body.links).toEqual([
		expect.objectContaining({
			url: 'https://shop.example/',
			clicks: 3,
			uniqueClickers: 1,
			views: 1,
		}),
	]);

	// a time range that cuts slots at both ends reads the hits from the events themselves
	const from = new Date(Date.now() - 3_600_000 - 1234).toISOString();
	const to = new Date(Date.now() + 3_600_000 + 1234).toISOString();
	const ranged = await server.api(
		'GET',
		`/api/v1/campaigns/${campaignId}/stats?from=${from}&to=${to}`,
	);
	expect(ranged.body.from).toBe(from);
	expect(ranged.body.totals).toMatchObject({
		recipients: 1,
		clicks: 3,
		uniqueClickers: 1,
		views: 1,
		uniqueViewers: 0,
	});
	expect(ranged.body.waves).toEqual([
		expect.objectContaining({ wave: 'Initial', recipients: 1, clicks: 1, uniqueClickers: 1 }),
	]);

	const recipients = await server.api('GET', `/api/v1/campaigns/${campaignId}/recipients`);
	expect(recipients.body.recipients.map((r: any) => [r.recipient, r.clicks])).toEqual([
		[person, 1],
	]);
});
