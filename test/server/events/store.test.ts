import { insertEvents } from '../../../server/src/events/store';
import { startTestServer, type TestServer } from '../../support/server';

let server: TestServer;
let campaignId: string;
beforeAll(async () => {
	server = await startTestServer();
	campaignId = (await server.api('POST', '/api/v1/campaigns', { name: 'store' })).body.id;
});
afterAll(() => server.close());

test('when events carry awkward text, then every column comes back exactly as given', async () => {
	const awkward = 'Mozilla/5.0 "quoted" {braces}, commas\\backslash NULL ünïcødé 🙂';
	const { inserted } = await insertEvents(server.db, [
		{
			eventKey: 'store-1',
			type: 'conversion',
			occurredAt: new Date('2026-11-20T10:00:00.123Z'),
			campaignId,
			code: 'Ab3dE7xQ',
			recipient: '+4915112345678',
			variant: 'NULL',
			url: 'https://shop.example/?a=1&b={2}',
			clickId: null,
			userAgent: awkward,
			deviceType: 'mobile',
			os: 'Android',
			browser: 'Chrome',
			country: 'DE',
			ipHash: 'hash',
			ip: '2001:db8::1',
			conversionName: 'purchase',
			conversionValue: 19.9,
			conversionCurrency: 'EUR',
			idempotencyKey: 'order-1',
		},
		{
			eventKey: 'store-2',
			type: 'click',
			occurredAt: new Date('2026-11-20T10:00:01Z'),
			campaignId,
		},
	]);
	expect(inserted.map((e) => e.eventKey)).toEqual(['store-1', 'store-2']);
	const rows = await server.sql(
		`SELECT event_key, type, occurred_at, code, recipient, variant, url, click_id, user_agent, device_type, os, browser,
		        country, ip_hash, host(ip) AS ip,
		        conversion_name, conversion_value::text, conversion_currency, idempotency_key
		 FROM events WHERE campaign_id = $1 ORDER BY event_key`,
		[campaignId],
	);
	expect(rows[0]).toEqual({
		event_key: 'store-1',
		type: 'conversion',
		occurred_at: new Date('2026-11-20T10:00:00.123Z'),
		code: 'Ab3dE7xQ',
		recipient: '+4915112345678',
		variant: 'NULL',
		url: 'https://shop.example/?a=1&b={2}',
		click_id: null,
		user_agent: awkward,
		device_type: 'mobile',
		os: 'Android',
		browser: 'Chrome',
		country: 'DE',
		ip_hash: 'hash',
		ip: '2001:db8::1',
		conversion_name: 'purchase',
		conversion_value: '19.9000',
		conversion_currency: 'EUR',
		idempotency_key: 'order-1',
	});
	expect(rows[1]).toMatchObject({
		event_key: 'store-2',
		type: 'click',
		user_agent: null,
		conversion_value: null,
	});
});

test('when the same event keys are stored again (a spool replay), then nothing is added and nothing is reported new', async () => {
	const event = {
		eventKey: 'store-replay',
		type: 'click' as const,
		occurredAt: new Date(),
		campaignId,
		clickId: 'replayClickId0123456789',
	};
	expect((await insertEvents(server.db, [event])).inserted).toHaveLength(1);
	expect(
		(await insertEvents(server.db, [event, { ...event, eventKey: 'store-replay-2' }])).inserted,
	).toEqual([]);
	expect(
		await server.sql(`SELECT count(*)::int AS n FROM events WHERE event_key LIKE 'store-replay%'`),
	).toEqual([{ n: 1 }]);
});
