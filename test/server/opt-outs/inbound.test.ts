import { createHmac } from 'node:crypto';
import { request, startTestServer, type TestServer } from '../../support/server';

const twilioToken = 'twilio-auth-token-0123456789abcdef';
const sevenToken = 'seven-webhook-token-0123456789';

let server: TestServer;
beforeAll(async () => {
	server = await startTestServer({
		TWILIO_AUTH_TOKEN: twilioToken,
		SEVEN_WEBHOOK_TOKEN: sevenToken,
	});
});
afterAll(() => server.close());
beforeEach(() => server.sql('DELETE FROM opt_outs'));

const listed = async () =>
	(await server.sql('SELECT phone, source FROM opt_outs ORDER BY phone')).map(
		(r) => `${r.phone} ${r.source}`,
	);

/** As Twilio signs: HMAC-SHA1 over the URL and the sorted parameters, Base64. */
function sign(url: string, params: Record<string, string>, token = twilioToken): string {
	const data =
		url +
		Object.keys(params)
			.sort()
			.map((k) => k + params[k])
			.join('');
	return createHmac('sha1', token).update(data).digest('base64');
}

/** An inbound SMS as Twilio posts it to a messaging webhook. */
async function twilioInbound(params: Record<string, string>, signature?: string) {
	const url = `${server.url}/inbound-sms/twilio`;
	const full = {
		MessageSid: 'SM' + 'a'.repeat(32),
		AccountSid: 'AC' + 'b'.repeat(32),
		To: '+15005550006',
		...params,
	};
	return request(url, 'POST', new URLSearchParams(full).toString(), {
		'content-type': 'application/x-www-form-urlencoded',
		'x-twilio-signature': signature ?? sign(url, full),
	});
}

/** An inbound SMS as seven.io's sms_mo webhook posts it. */
const sevenInbound = (data: Record<string, unknown>, token = sevenToken) =>
	request(
		`${server.url}/inbound-sms/seven?token=${token}`,
		'POST',
		JSON.stringify({
			webhook_event: 'sms_mo',
			webhook_timestamp: '2026-11-29 12:00:00',
			data: { id: '123', message_type: 'SMS', system: '491771783130', time: '1764417600', ...data },
		}),
		{ 'content-type': 'application/json' },
	);

test('when a recipient replies STOP through Twilio, then they are opted out, and START opts them in again', async () => {
	const stop = await twilioInbound({ From: '+4915100000001', Body: 'Stop' });
	expect(stop.status).toBe(200);
	expect(stop.headers.get('content-type')).toContain('text/xml');
	expect(stop.body).toContain('<Response></Response>');
	expect(await listed()).toEqual(['+4915100000001 twilio']);

	expect((await twilioInbound({ From: '+4915100000001', Body: 'START' })).status).toBe(200);
	expect(await listed()).toEqual([]);
});

test("when Twilio's Advanced Opt-Out has classified the reply, then its OptOutType decides", async () => {
	await twilioInbound({ From: '+4915100000002', Body: 'arret', OptOutType: 'STOP' });
	expect(await listed()).toEqual(['+4915100000002 twilio']);
});

test('when a reply is not a keyword, then it is acknowledged and nothing changes', async () => {
	expect((await twilioInbound({ From: '+4915100000003', Body: "please don't stop" })).status).toBe(
		200,
	);
	expect((await sevenInbound({ sender: '4915100000003', text: 'Thanks!' })).status).toBe(204);
	expect(await listed()).toEqual([]);
});

test('when the Twilio signature is wrong, then 403 and nothing changes', async () => {
	const res = await twilioInbound(
		{ From: '+4915100000004', Body: 'STOP' },
		sign('http://elsewhere/', {}),
	);
	expect(res.status).toBe(403);
	expect(await listed()).toEqual([]);
});

test('when a recipient replies STOPP through seven.io, then the sender (without a plus) is opted out', async () => {
	const res = await sevenInbound({ sender: '4915100000005', text: 'STOPP' });
	expect(res.status).toBe(204);
	expect(await listed()).toEqual(['+4915100000005 seven']);
});

test('when the seven.io token is wrong or the body is not an sms_mo webhook, then 4xx and nothing changes', async () => {
	expect(
		(await sevenInbound({ sender: '4915100000006', text: 'STOP' }, 'wrong-token-00000000000'))
			.status,
	).toBe(403);
	const notMo = await request(
		`${server.url}/inbound-sms/seven?token=${sevenToken}`,
		'POST',
		JSON.stringify({ webhook_event: 'dlr', data: {} }),
		{
			'content-type': 'application/json',
		},
	);
	expect(notMo.status).toBe(400);
	expect(await listed()).toEqual([]);
});

test('when the provider is not configured, then 404 says which setting turns it on', async () => {
	const bare = await startTestServer();
	try {
		const res = await request(`${bare.url}/inbound-sms/seven`, 'POST', '{}', {
			'content-type': 'application/json',
		});
		expect(res.status).toBe(404);
		expect((res.body as any).error.message).toContain('SEVEN_WEBHOOK_TOKEN');
	} finally {
		await bare.close();
	}
});
