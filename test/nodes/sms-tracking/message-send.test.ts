import type { INodeParameters } from 'n8n-workflow';
import { holdoutVariant } from '../../../nodes/shared/variants';
import { assignVariant } from '../../../server/src/campaigns/assign-variant';
import { startFakeSeven, type FakeSeven } from '../../support/fake-seven';
import { startFakeTwilio, type FakeTwilio } from '../../support/fake-twilio';
import { runNode } from '../../support/n8n';
import {
	abSendParameters,
	newCampaign,
	phoneItems,
	sendParameters,
	trackingCredentials,
} from '../../support/node-workflows';
import { startTestServer, type TestServer } from '../../support/server';

let server: TestServer;
let seven: FakeSeven;
let twilio: FakeTwilio;
beforeAll(async () => {
	[server, seven, twilio] = await Promise.all([
		startTestServer({ PUBLIC_BASE_URL: 'https://go.example' }),
		startFakeSeven(),
		startFakeTwilio(),
	]);
});
afterAll(async () => {
	await Promise.all([server.close(), seven.close(), twilio.close()]);
});
afterEach(() => {
	expect(seven.violations).toEqual([]);
	expect(twilio.violations).toEqual([]);
});

const campaign = () => newCampaign(server, 'send');
const credentials = (extra: Record<string, Record<string, unknown>> = {}) => ({
	...trackingCredentials(server),
	smsTrackingSevenApi: { apiKey: seven.apiKey, baseUrl: seven.url },
	smsTrackingTwilioApi: {
		authType: 'authToken',
		accountSid: twilio.accountSid,
		authToken: twilio.authToken,
		baseUrl: twilio.url,
	},
	...extra,
});
const messages = (id: string) =>
	server.sql(
		'SELECT recipient, variant, provider, provider_message_id, segments, encoding, characters, status, error FROM messages WHERE campaign_id = $1 ORDER BY recipient',
		[id],
	);
const phones = (n: number, offset = 0) =>
	Array.from({ length: n }, (_, i) => `+49151${String(20_000_000 + offset + i)}`);

/** Message → Send of the text "Hi" to one number (one empty item) in a new campaign. */
const sendHi = async (
	recipient: string,
	parameters: INodeParameters,
	runCredentials = credentials(),
) =>
	runNode({
		parameters: sendParameters(await campaign(), { recipient, text: 'Hi', ...parameters }),
		items: [{}],
		credentials: runCredentials,
	});

/** Message → Send through seven.io to these numbers in a new campaign, seven.io refusing `refused` (code 202). */
async function sendRefusing(
	recipients: string[],
	refused: string,
	parameters: INodeParameters,
	continueOnFail = false,
) {
	const id = await campaign();
	seven.failFor.set(refused, '202');
	const run = await runNode({
		parameters: sendParameters(id, { provider: 'seven', ...parameters }),
		items: phoneItems(recipients),
		credentials: credentials(),
		continueOnFail,
	});
	return { id, run };
}

describe('Send through seven.io', () => {
	test('when three recipients are sent, then seven.io gets three texts with different short links and the server records the sends', async () => {
		const id = await campaign();
		const recipients = phones(3);
		const run = await runNode({
			parameters: sendParameters(id, {
				text: '=Hi {{ $json.name }}, 20 % off today: https://shop.example/sale',
				provider: 'seven',
				from: 'MyShop',
				sendOptions: {
					label: 'blackfriday',
					foreignId: '={{ "order-" + $json.name }}',
					delay: '2030-01-02T03:04:05Z',
				},
			}),
			items: recipients.map((phone, i) => ({ phone, name: `n${i}` })),
			credentials: credentials(),
		});
		expect(run.error).toBeUndefined();
		const sentHere = seven.received.filter((r) => recipients.includes(r.to));
		expect(sentHere).toHaveLength(3);
		const codes = sentHere.map((r) => /https:\/\/go\.example\/([A-Za-z0-9]+)$/.exec(r.text)?.[1]);
		expect(new Set(codes).size).toBe(3);
		expect(sentHere[0]).toMatchObject({
			from: 'MyShop',
			label: 'blackfriday',
			delay: String(Date.parse('2030-01-02T03:04:05Z') / 1000),
		});
		expect(sentHere.map((r) => r.foreign_id).sort()).toEqual(['order-n0', 'order-n1', 'order-n2']);

		const out = run.outputs[0];
		expect(out).toHaveLength(3);
		expect(run.outputs).toHaveLength(1); // without an A/B test there is no Hold-Out output
		for (const [i, item] of out.entries()) {
			expect(item.pairedItem).toEqual({ item: i });
			expect(item.json).toMatchObject({
				status: 'sent',
				provider: 'seven',
				recipient: recipients[i],
				segments: 1,
				encoding: 'GSM-7',
			});
			expect(seven.received.find((r) => r.id === item.json.providerMessageId)?.text).toBe(
				item.json.text,
			);
		}
		const rows = await messages(id);
		expect(rows).toHaveLength(3);
		expect(rows[0]).toMatchObject({
			recipient: recipients[0],
			provider: 'seven',
			provider_message_id: out[0].json.providerMessageId,
			status: 'sent',
			segments: 1,
			encoding: 'GSM-7',
		});
	});

	test('when an execution is re-run, then no duplicate links are created', async () => {
		const id = await campaign();
		const parameters = sendParameters(id, {
			text: 'https://shop.example/a https://shop.example/b',
			provider: 'seven',
		});
		const items = phoneItems(phones(2, 100));
		const first = await runNode({ parameters, items, credentials: credentials() });
		const second = await runNode({ parameters, items, credentials: credentials() });
		expect(second.outputs[0].map((o) => o.json.text)).toEqual(
			first.outputs[0].map((o) => o.json.text),
		);
		const [{ count }] = await server.sql(
			'SELECT count(*)::int AS count FROM links WHERE campaign_id = $1',
			[id],
		);
		expect(count).toBe(4);
	});

	test("when seven.io rejects one recipient, then the node fails with seven.io's reason and the item index, and the earlier send is still recorded", async () => {
		const [good, bad] = phones(2, 200);
		const { id, run } = await sendRefusing([good, bad], bad, {
			text: 'Hi https://shop.example/',
			sendOptions: { concurrency: 1 },
		});
		expect(run.error?.name).toBe('NodeApiError');
		expect(run.error?.message).toBe(
			'seven.io did not send the SMS (code 202): Invalid recipient number',
		);
		expect(run.error?.context?.itemIndex).toBe(1);
		const rows = await messages(id);
		expect(rows.map((r: any) => [r.recipient, r.status])).toEqual([
			[good, 'sent'],
			[bad, 'failed'],
		]);
	});

	test('when the first message is rejected, then no further message is sent', async () => {
		const [bad, b, c] = phones(3, 250);
		const { id, run } = await sendRefusing([bad, b, c], bad, {
			text: 'Hi',
			sendOptions: { concurrency: 1 },
		});
		expect(run.error?.context?.itemIndex).toBe(0);
		expect(seven.received.filter((r) => r.to === b || r.to === c)).toEqual([]);
		expect((await messages(id)).map((r: any) => [r.recipient, r.status])).toEqual([
			[bad, 'failed'],
		]);
	});

	test('when Continue On Fail is on, then a rejected message becomes an error item, the others are sent, and the failure is recorded', async () => {
		const [a, bad, c] = phones(3, 300);
		const { id, run } = await sendRefusing(
			[a, bad, c],
			bad,
			{ text: 'Hi https://shop.example/' },
			true,
		);
		expect(run.error).toBeUndefined();
		const out = run.outputs[0];
		expect(out.map((o) => [o.pairedItem, o.json.status])).toEqual([
			[{ item: 0 }, 'sent'],
			[{ item: 1 }, 'failed'],
			[{ item: 2 }, 'sent'],
		]);
		expect(out[1].json.error).toContain('Invalid recipient number');
		const rows = await messages(id);
		expect(rows.find((r: any) => r.recipient === bad)).toMatchObject({
			status: 'failed',
			error: expect.stringContaining('Invalid recipient number'),
		});
	});

	test('when the seven.io API key is wrong, then the node fails with the authentication reason', async () => {
		const run = await sendHi(
			'+4915129999999',
			{ provider: 'seven' },
			credentials({ smsTrackingSevenApi: { apiKey: 'wrong', baseUrl: seven.url } }),
		);
		expect(run.error?.name).toBe('NodeApiError');
		expect(run.error?.message).toBe(
			'seven.io did not send the SMS (code 900): authentication failed: check the API key',
		);
	});
});

describe('Send through Twilio', () => {
	test('when sent with a messaging service and delivery reports, then Twilio gets form fields, Basic auth and the status callback URL', async () => {
		const id = await campaign();
		const recipients = phones(2, 400);
		const service = 'MG' + 'a'.repeat(32);
		const run = await runNode({
			parameters: sendParameters(id, {
				text: 'Sale: https://shop.example/sale',
				provider: 'twilio',
				messagingServiceSid: service,
				sendOptions: { deliveryReports: true, deliveryReportBaseUrl: 'https://go.example/' },
			}),
			items: phoneItems(recipients),
			credentials: credentials(),
		});
		expect(run.error).toBeUndefined();
		const got = twilio.received.filter((r) => recipients.includes(r.To));
		expect(got).toHaveLength(2);
		for (const sms of got) {
			expect(sms).toMatchObject({
				MessagingServiceSid: service,
				StatusCallback: 'https://go.example/delivery-reports/twilio',
				authUser: twilio.accountSid,
			});
			expect(sms.From).toBeUndefined();
			expect(sms.Body).toMatch(/^Sale: https:\/\/go\.example\/[A-Za-z0-9]{8}$/);
		}
		const rows = await messages(id);
		expect(rows.map((r: any) => r.provider_message_id).sort()).toEqual(
			got.map((g) => g.sid).sort(),
		);
	});

	test('when the credential uses an API key, then Basic auth carries the key SID and secret', async () => {
		const [phone] = phones(1, 500);
		const run = await sendHi(
			phone,
			{ provider: 'twilio', from: '+15005550006' },
			credentials({
				smsTrackingTwilioApi: {
					authType: 'apiKey',
					accountSid: twilio.accountSid,
					apiKeySid: twilio.apiKeySid,
					apiKeySecret: twilio.apiKeySecret,
					baseUrl: twilio.url,
				},
			}),
		);
		expect(run.error).toBeUndefined();
		expect(twilio.received.find((r) => r.To === phone)).toMatchObject({
			authUser: twilio.apiKeySid,
			From: '+15005550006',
			Body: 'Hi',
		});
	});

	test("when Twilio rejects the number, then the node fails with Twilio's message", async () => {
		const [phone] = phones(1, 600);
		twilio.invalidNumbers.add(phone);
		const run = await sendHi(phone, { provider: 'twilio', from: '+15005550006' });
		expect(run.error?.name).toBe('NodeApiError');
		expect(run.error?.message).toBe(
			`The 'To' number ${phone} is not a valid phone number. (code 21211)`,
		);
		expect(run.error?.context?.itemIndex).toBe(0);
	});

	test('when neither a sender nor a messaging service is set, then it is an operation error before anything is sent', async () => {
		const run = await sendHi('+4915129999998', { provider: 'twilio' });
		expect(run.error?.name).toBe('NodeOperationError');
		expect(run.error?.message).toBe('Twilio needs a sender or a messaging service SID');
		expect(twilio.received.filter((r) => r.To === '+4915129999998')).toEqual([]);
	});
});

describe('A/B test', () => {
	test("when sent with two variants and a hold-out, then each recipient gets its variant's text, the hold-out is recorded and leaves on the second output", async () => {
		const id = await campaign();
		const recipients = phones(60, 1000);
		const run = await runNode({
			parameters: abSendParameters(
				id,
				{
					A: 'Text A https://shop.example/a',
					B: '=Text B for {{ $json.phone }} https://shop.example/b',
				},
				{ holdoutPercent: 20 },
			),
			items: phoneItems(recipients),
			credentials: credentials(),
		});
		expect(run.error).toBeUndefined();
		const variants = [
			{ name: 'A', weight: 1 },
			{ name: 'B', weight: 1 },
		];
		const expected = new Map(recipients.map((r) => [r, assignVariant(id, r, variants, 0.2)]));
		const held = [...expected].filter(([, v]) => v === holdoutVariant).map(([r]) => r);
		expect(held.length).toBeGreaterThan(0);

		expect(run.outputs[1].map((o) => o.json.recipient)).toEqual(held);
		expect(run.outputs[1][0]).toMatchObject({
			json: { variant: 'holdout', status: 'holdout' },
			pairedItem: { item: recipients.indexOf(held[0]) },
		});
		expect(run.outputs[0]).toHaveLength(60 - held.length);
		for (const item of run.outputs[0]) {
			const variant = expected.get(item.json.recipient as string);
			expect(item.json.variant).toBe(variant);
			expect(item.json.originalText).toBe(
				variant === 'A'
					? 'Text A https://shop.example/a'
					: `Text B for ${item.json.recipient} https://shop.example/b`,
			);
		}
		expect(seven.received.filter((r) => held.includes(r.to))).toEqual([]);

		const campaignNow = (await server.api('GET', `/api/v1/campaigns/${id}`)).body;
		expect(campaignNow).toMatchObject({ variants, holdout: 0.2 });
		const rows = await messages(id);
		expect(
			rows
				.filter((r: any) => r.status === 'holdout')
				.map((r: any) => r.recipient)
				.sort(),
		).toEqual([...held].sort());
		const links = await server.sql('SELECT recipient, variant FROM links WHERE campaign_id = $1', [
			id,
		]);
		for (const link of links) expect(link.variant).toBe(expected.get(link.recipient));
	});

	test("when a running test gets a different split, then the node fails with the server's reason and sends nothing", async () => {
		const id = await campaign();
		const base = sendParameters(id, {
			provider: 'seven',
			abTest: true,
		});
		const variant = (name: string) => ({ name, text: `${name} https://shop.example/`, weight: 1 });
		await runNode({
			parameters: { ...base, variants: { variant: [variant('A'), variant('B')] } },
			items: phoneItems(phones(5, 2000)),
			credentials: credentials(),
		});
		const before = seven.received.length;
		const run = await runNode({
			parameters: { ...base, variants: { variant: [variant('A'), variant('C')] } },
			items: phoneItems(phones(5, 2100)),
			credentials: credentials(),
		});
		expect(run.error?.message).toMatch(
			/^Campaign cmp_\w+ already sent variants A \(\d+\), B \(\d+\) .*; use the same split or a new campaign \(variants_in_use\)$/,
		);
		expect(seven.received.length).toBe(before);
	});
});

describe('large sends', () => {
	test('when 1,200 messages are sent, then links take one call and the sends are reported after every 1,000', async () => {
		const { startCountingProxy } = await import('../../support/counting-proxy');
		const proxy = await startCountingProxy(server.url);
		try {
			const id = await campaign();
			const recipients = phones(1200, 10_000);
			const run = await runNode({
				parameters: sendParameters(id, {
					text: 'Hi https://shop.example/',
					provider: 'seven',
					sendOptions: { concurrency: 20 },
				}),
				items: phoneItems(recipients),
				credentials: credentials({ smsTrackingApi: { baseUrl: proxy.url, apiKey: server.apiKey } }),
			});
			expect(run.error).toBeUndefined();
			expect(run.outputs[0]).toHaveLength(1200);
			expect(proxy.count('POST', /\/links$/)).toBe(1);
			expect(proxy.count('POST', /\/messages$/)).toBe(2);
			const [{ count }] = await server.sql(
				`SELECT count(*)::int AS count FROM messages WHERE campaign_id = $1 AND status = 'sent'`,
				[id],
			);
			expect(count).toBe(1200);
		} finally {
			await proxy.close();
		}
	});
});
