import { createHmac } from 'node:crypto';
import { request, startTestServer, type TestServer } from '../../support/server';

const twilioToken = 'twilio-auth-token-0123456789abcdef';
const sevenToken = 'seven-webhook-token-0123456789';

let server: TestServer;
beforeAll(async () => {
	server = await startTestServer({
		TWILIO_AUTH_TOKEN: `old-token-0000000000,${twilioToken}`,
		SEVEN_WEBHOOK_TOKEN: sevenToken,
	});
});
afterAll(() => server.close());

/** Signs as Twilio documents it: HMAC-SHA1 over the URL and the sorted parameters, Base64. */
function sign(url: string, params: Record<string, string>, token = twilioToken): string {
	const data =
		url +
		Object.keys(params)
			.sort()
			.map((k) => k + params[k])
			.join('');
	return createHmac('sha1', token).update(data).digest('base64');
}

async function twilioCallback(params: Record<string, string>, signature?: string) {
	const url = `${server.url}/delivery-reports/twilio`;
	return request(url, 'POST', new URLSearchParams(params).toString(), {
		'content-type': 'application/x-www-form-urlencoded',
		'x-twilio-signature': signature ?? sign(url, params),
	});
}

const sevenCallback = (body: unknown, token = sevenToken, type = 'application/json') =>
	request(
		`${server.url}/delivery-reports/seven?token=${token}`,
		'POST',
		type === 'application/json' ? JSON.stringify(body) : String(body),
		{ 'content-type': type },
	);

async function sentMessage(provider: string, providerMessageId: string, variant = 'A') {
	const id = (await server.api('POST', '/api/v1/campaigns', { name: 'dlr' })).body.id as string;
	await server.api('POST', `/api/v1/campaigns/${id}/messages`, {
		messages: [
			{ recipient: '+4915100000001', variant, provider, providerMessageId, status: 'sent' },
		],
	});
	return id;
}
const messageRow = async (id: string) =>
	(await server.sql('SELECT status, error FROM messages WHERE campaign_id = $1', [id]))[0];
const events = (id: string) =>
	server.sql('SELECT type, recipient, variant FROM events WHERE campaign_id = $1 ORDER BY id', [
		id,
	]);

describe('Twilio status callbacks', () => {
	test('when Twilio reports a message delivered with a valid signature, then the message is delivered and a delivered event fires the webhooks', async () => {
		const sid = 'SM' + 'a1'.repeat(16);
		const id = await sentMessage('twilio', sid);
		await server.sql(
			`INSERT INTO webhook_subscriptions (id, url, events, secret) VALUES ($1, 'http://127.0.0.1:9/hook', '{delivered}', 'whsec_x')`,
			[`sub_${id}`],
		);
		const res = await twilioCallback({
			MessageSid: sid,
			MessageStatus: 'delivered',
			AccountSid: 'AC1',
			To: '+4915100000001',
			From: '+15005550006',
			ApiVersion: '2010-04-01',
		});
		expect(res.status).toBe(204);
		expect(await messageRow(id)).toEqual({ status: 'delivered', error: null });
		expect(await events(id)).toEqual([
			{ type: 'delivered', recipient: '+4915100000001', variant: 'A' },
		]);
		const deliveries = await server.sql(
			'SELECT d.id FROM webhook_deliveries d JOIN events e ON e.id = d.event_id WHERE e.campaign_id = $1',
			[id],
		);
		expect(deliveries).toHaveLength(1);
	});

	test('when the same callback arrives twice, then one event is stored', async () => {
		const sid = 'SM' + 'b2'.repeat(16);
		const id = await sentMessage('twilio', sid);
		const params = { MessageSid: sid, MessageStatus: 'delivered' };
		await twilioCallback(params);
		await twilioCallback(params);
		expect(await events(id)).toHaveLength(1);
	});

	test('when Twilio reports undelivered, then the message failed with the error code', async () => {
		const sid = 'SM' + 'c3'.repeat(16);
		const id = await sentMessage('twilio', sid);
		expect(
			(await twilioCallback({ MessageSid: sid, MessageStatus: 'undelivered', ErrorCode: '30003' }))
				.status,
		).toBe(204);
		expect(await messageRow(id)).toEqual({ status: 'failed', error: 'Twilio error 30003' });
		expect((await events(id)).map((e: any) => e.type)).toEqual(['failed']);
	});

	test('when Twilio reports an intermediate status, then nothing changes', async () => {
		const sid = 'SM' + 'd4'.repeat(16);
		const id = await sentMessage('twilio', sid);
		expect((await twilioCallback({ MessageSid: sid, MessageStatus: 'sent' })).status).toBe(204);
		expect((await messageRow(id)).status).toBe('sent');
		expect(await events(id)).toEqual([]);
	});

	test('when the signature is wrong or missing, then it is a 403 and nothing changes', async () => {
		const sid = 'SM' + 'e5'.repeat(16);
		const id = await sentMessage('twilio', sid);
		const params = { MessageSid: sid, MessageStatus: 'delivered' };
		const url = `${server.url}/delivery-reports/twilio`;
		expect((await twilioCallback(params, sign(url, params, 'another-token'))).status).toBe(403);
		expect(
			(await twilioCallback(params, sign(url, { ...params, MessageStatus: 'failed' }))).status,
		).toBe(403);
		const unsigned = await request(url, 'POST', new URLSearchParams(params).toString(), {
			'content-type': 'application/x-www-form-urlencoded',
		});
		expect(unsigned.status).toBe(403);
		expect(unsigned.body.error.code).toBe('invalid_signature');
		expect((await messageRow(id)).status).toBe('sent');
		expect(await events(id)).toEqual([]);
	});

	test('when a late failure follows delivery, then the message stays delivered', async () => {
		const sid = 'SM' + 'f6'.repeat(16);
		const id = await sentMessage('twilio', sid);
		await twilioCallback({ MessageSid: sid, MessageStatus: 'delivered' });
		await twilioCallback({ MessageSid: sid, MessageStatus: 'failed' });
		expect((await messageRow(id)).status).toBe('delivered');
		expect((await events(id)).map((e: any) => e.type)).toEqual(['delivered']);
	});
});

describe('seven.io delivery reports', () => {
	test('when seven.io posts its dlr webhook with the token, then the message is delivered', async () => {
		const id = await sentMessage('seven', '77100000001', 'B');
		const res = await sevenCallback({
			webhook_event: 'dlr',
			webhook_timestamp: '2026-11-23 10:00:00',
			data: { msg_id: '77100000001', status: 'DELIVERED', status_time: '2026-11-23 10:00:05' },
		});
		expect(res.status).toBe(204);
		expect((await messageRow(id)).status).toBe('delivered');
		expect(await events(id)).toEqual([
			{ type: 'delivered', recipient: '+4915100000001', variant: 'B' },
		]);
	});

	test("when a reminder message is delivered, then its delivered event and its wave in stats are the reminder's", async () => {
		const id = (await server.api('POST', '/api/v1/campaigns', { name: 'dlr waves' })).body
			.id as string;
		await server.api('POST', `/api/v1/campaigns/${id}/messages`, {
			wave: 'Reminder',
			messages: [
				{
					recipient: '+4915100000009',
					provider: 'seven',
					providerMessageId: '77100000009',
					status: 'sent',
				},
			],
		});
		const res = await sevenCallback({
			webhook_event: 'dlr',
			webhook_timestamp: '2026-11-23 10:00:00',
			data: { msg_id: '77100000009', status: 'DELIVERED', status_time: '2026-11-23 10:00:05' },
		});
		expect(res.status).toBe(204);
		expect(await server.sql('SELECT type, wave FROM events WHERE campaign_id = $1', [id])).toEqual([
			{ type: 'delivered', wave: 'Reminder' },
		]);
		const stats = await server.api('GET', `/api/v1/campaigns/${id}/stats`);
		expect(stats.body.waves).toEqual([
			expect.objectContaining({ wave: 'Reminder', sent: 1, delivered: 1 }),
		]);
	});

	test('when seven.io posts a form-encoded NOTDELIVERED report, then the message failed', async () => {
		const id = await sentMessage('seven', '77100000002');
		const res = await sevenCallback(
			'msg_id=77100000002&status=NOTDELIVERED&timestamp=1795462298',
			sevenToken,
			'application/x-www-form-urlencoded',
		);
		expect(res.status).toBe(204);
		expect(await messageRow(id)).toEqual({
			status: 'failed',
			error: 'seven.io status NOTDELIVERED',
		});
	});

	test('when the token is wrong, then it is a 403 and nothing changes', async () => {
		const id = await sentMessage('seven', '77100000003');
		const res = await sevenCallback(
			{ msg_id: '77100000003', status: 'DELIVERED' },
			'wrong-token-0123456789',
		);
		expect(res.status).toBe(403);
		expect((await messageRow(id)).status).toBe('sent');
		expect(await events(id)).toEqual([]);
	});

	test('when the report time is a number no date can hold, then the report counts at the time it arrived', async () => {
		const id = await sentMessage('seven', '77100000044');
		const before = Date.now();
		const res = await sevenCallback({
			msg_id: '77100000044',
			status: 'DELIVERED',
			status_time: 1e300,
		});
		expect(res.status).toBe(204);
		expect((await messageRow(id)).status).toBe('delivered');
		const [delivered] = await server.sql<{ at: Date }>(
			`SELECT occurred_at AS at FROM events WHERE campaign_id = $1 AND type = 'delivered'`,
			[id],
		);
		expect(delivered.at.getTime()).toBeGreaterThanOrEqual(before - 1000);
	});

	test('when the body is not a report, then it is a 400', async () => {
		expect((await sevenCallback({ hello: 'world' })).status).toBe(400);
	});

	test('when a report arrives before the message is reported, then it is applied once the message is', async () => {
		const id = (await server.api('POST', '/api/v1/campaigns', { name: 'early' })).body.id as string;
		expect((await sevenCallback({ msg_id: '77100000004', status: 'DELIVERED' })).status).toBe(204);
		await server.api('POST', `/api/v1/campaigns/${id}/messages`, {
			messages: [
				{
					recipient: '+4915100000009',
					provider: 'seven',
					providerMessageId: '77100000004',
					status: 'sent',
				},
			],
		});
		expect((await messageRow(id)).status).toBe('delivered');
		expect(await events(id)).toEqual([
			{ type: 'delivered', recipient: '+4915100000009', variant: null },
		]);
		expect(
			await server.sql('SELECT * FROM delivery_reports_pending WHERE provider_message_id = $1', [
				'77100000004',
			]),
		).toEqual([]);
	});

	test('when reports wait for messages that never come, then they are dropped after three days', async () => {
		await server.sql(
			`INSERT INTO delivery_reports_pending (provider, provider_message_id, outcome, occurred_at, received_at)
			 VALUES ('seven', 'stale-1', 'delivered', now() - interval '4 days', now() - interval '4 days'),
			        ('seven', 'fresh-1', 'delivered', now() - interval '1 day', now() - interval '1 day')`,
		);
		expect((await sevenCallback({ msg_id: '77100000005', status: 'DELIVERED' })).status).toBe(204);
		const left = await server.sql(
			`SELECT provider_message_id FROM delivery_reports_pending
			 WHERE provider_message_id IN ('stale-1', 'fresh-1', '77100000005') ORDER BY 1`,
		);
		expect(left.map((r: any) => r.provider_message_id)).toEqual(['77100000005', 'fresh-1']);
	});
});

test('when the provider secrets are not configured, then the endpoints answer 404', async () => {
	const bare = await startTestServer();
	try {
		const twilio = await request(
			`${bare.url}/delivery-reports/twilio`,
			'POST',
			'MessageSid=SM1&MessageStatus=delivered',
			{ 'content-type': 'application/x-www-form-urlencoded' },
		);
		expect(twilio.status).toBe(404);
		expect(twilio.body.error.code).toBe('delivery_reports_disabled');
		expect(
			(
				await request(`${bare.url}/delivery-reports/seven?token=x`, 'POST', {
					msg_id: '1',
					status: 'DELIVERED',
				})
			).status,
		).toBe(404);
	} finally {
		await bare.close();
	}
});
