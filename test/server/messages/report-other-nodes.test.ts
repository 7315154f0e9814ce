import { createHmac } from 'node:crypto';
import { request, startTestServer, type TestServer } from '../../support/server';

const twilioToken = 'twilio-auth-token-report-sends-0123';

let server: TestServer;
beforeAll(async () => {
	server = await startTestServer({ TWILIO_AUTH_TOKEN: twilioToken });
});
afterAll(() => server.close());

const campaign = async (extra: Record<string, unknown> = {}) =>
	(await server.api('POST', '/api/v1/campaigns', { name: 'other nodes', ...extra })).body
		.id as string;
const abTest = {
	variants: [
		{ name: 'A', weight: 50 },
		{ name: 'B', weight: 50 },
	],
};
const report = (id: string, body: Record<string, unknown>) =>
	server.api('POST', `/api/v1/campaigns/${id}/messages`, body);
async function linksOf(id: string, recipient: string, urls: string[], variant?: string) {
	const res = await server.api('POST', `/api/v1/campaigns/${id}/links`, {
		recipients: [{ recipient, urls, variant }],
	});
	return res.body.links as Array<{ code: string; shortUrl: string }>;
}
const rows = (id: string) =>
	server.sql(
		'SELECT recipient, variant, provider, provider_message_id, status FROM messages WHERE campaign_id = $1 ORDER BY id',
		[id],
	);

describe('POST /campaigns/:id/messages with the short links a message carried', () => {
	test('when a send is reported with its codes but no recipient, then the recipient and variant come from the links', async () => {
		const id = await campaign(abTest);
		const [link] = await linksOf(id, '+4915100000001', ['https://shop.example/a'], 'B');
		const res = await report(id, {
			messages: [
				{ codes: [link.code], provider: 'twilio', providerMessageId: 'SM1', status: 'sent' },
			],
		});
		expect(res.body).toEqual({ recorded: 1 });
		expect(await rows(id)).toEqual([
			{
				recipient: '+4915100000001',
				variant: 'B',
				provider: 'twilio',
				provider_message_id: 'SM1',
				status: 'sent',
			},
		]);
	});

	test('when a send is reported with the text that was sent, then the short links in it (with or without https://) tie it to their recipient', async () => {
		const id = await campaign();
		const links = await linksOf(id, '+4915100000002', [
			'https://shop.example/a',
			'https://shop.example/b',
		]);
		const bare = links[1].shortUrl.replace(/^https?:\/\//, '');
		const text = `Sale: ${links[0].shortUrl}. More: ${bare}`;
		const res = await report(id, {
			messages: [{ text, provider: 'vonage', providerMessageId: 'v-1', status: 'sent' }],
		});
		expect(res.status).toBe(200);
		expect((await rows(id))[0]).toMatchObject({ recipient: '+4915100000002', provider: 'vonage' });
	});

	test('when a code belongs to another campaign or another recipient, then the report is a 400 and nothing is written', async () => {
		const id = await campaign();
		const other = await campaign();
		const [foreign] = await linksOf(other, '+4915100000003', ['https://shop.example/a']);
		const [own] = await linksOf(id, '+4915100000004', ['https://shop.example/a']);
		const unknown = await report(id, {
			messages: [
				{ recipient: '+4915100000004', codes: [own.code], status: 'sent' },
				{ codes: [foreign.code], status: 'sent' },
			],
		});
		expect(unknown.status).toBe(400);
		expect(unknown.body.error.code).toBe('unknown_code');
		expect(unknown.body.error.message).toContain('messages[1]');
		const mismatch = await report(id, {
			messages: [{ recipient: '+4915100000005', codes: [own.code], status: 'sent' }],
		});
		expect(mismatch.status).toBe(400);
		expect(mismatch.body.error.code).toBe('code_of_other_recipient');
		expect(await rows(id)).toEqual([]);
	});

	test('when neither a recipient nor a code is given, then it is a 400', async () => {
		const id = await campaign();
		const res = await report(id, { messages: [{ text: 'no links here', status: 'sent' }] });
		expect(res.status).toBe(400);
		expect(res.body.error.message).toContain('messages[0].recipient');
	});
});

describe('POST /campaigns/:id/messages with oncePerRecipient', () => {
	test('when sends without a provider message id are reported twice, then each recipient is recorded once per provider', async () => {
		const id = await campaign();
		const body = {
			oncePerRecipient: true,
			messages: [
				{ recipient: '+4915100000011', provider: 'other', status: 'sent' },
				{ recipient: '+4915100000011', provider: 'other', status: 'sent' },
				{ recipient: '+4915100000012', provider: 'other', status: 'sent' },
			],
		};
		expect((await report(id, body)).body).toEqual({ recorded: 2 });
		expect((await report(id, body)).body).toEqual({ recorded: 0 });
		const viaOther = await report(id, {
			oncePerRecipient: true,
			messages: [{ recipient: '+4915100000011', provider: 'messagebird', status: 'sent' }],
		});
		expect(viaOther.body).toEqual({ recorded: 1 });
		expect(await rows(id)).toHaveLength(3);
	});

	test('when oncePerRecipient is not set, then sends without an id are each recorded (as the Send operation reports failures)', async () => {
		const id = await campaign();
		const body = {
			messages: [{ recipient: '+4915100000013', provider: 'twilio', status: 'failed' }],
		};
		await report(id, body);
		await report(id, body);
		expect(await rows(id)).toHaveLength(2);
	});
});

describe('a send reported from another node and Twilio delivery reports', () => {
	test("when Twilio reports a reported send's message delivered with a valid signature, then it is delivered and counted in the stats", async () => {
		const id = await campaign();
		const [link] = await linksOf(id, '+4915100000021', ['https://shop.example/a']);
		const sid = 'SM' + 'c3'.repeat(16);
		await report(id, {
			messages: [
				{ codes: [link.code], provider: 'twilio', providerMessageId: sid, status: 'sent' },
			],
		});
		const url = `${server.url}/delivery-reports/twilio`;
		const params = { MessageSid: sid, MessageStatus: 'delivered', AccountSid: 'AC1' };
		const data =
			url +
			Object.keys(params)
				.sort()
				.map((k) => k + params[k as keyof typeof params])
				.join('');
		const res = await request(url, 'POST', new URLSearchParams(params).toString(), {
			'content-type': 'application/x-www-form-urlencoded',
			'x-twilio-signature': createHmac('sha1', twilioToken).update(data).digest('base64'),
		});
		expect(res.status).toBe(204);
		expect((await rows(id))[0].status).toBe('delivered');
		const stats = (await server.api('GET', `/api/v1/campaigns/${id}/stats`)).body;
		expect(stats.totals).toMatchObject({ sent: 1, delivered: 1 });
	});
});
