import { createHmac } from 'node:crypto';
import { startCountingProxy, type CountingProxy } from '../../support/counting-proxy';
import { runNode } from '../../support/n8n';
import { request, startTestServer, type TestServer } from '../../support/server';

const twilioToken = 'twilio-auth-token-report-sends-node';

let server: TestServer;
let proxy: CountingProxy;
beforeAll(async () => {
	server = await startTestServer({
		PUBLIC_BASE_URL: 'https://go.example',
		TWILIO_AUTH_TOKEN: twilioToken,
	});
	proxy = await startCountingProxy(server.url);
});
afterAll(async () => {
	await proxy.close();
	await server.close();
});

const campaign = async (extra: Record<string, unknown> = {}) =>
	(await server.api('POST', '/api/v1/campaigns', { name: 'report sends', ...extra })).body
		.id as string;
const abTest = {
	variants: [
		{ name: 'A', weight: 50 },
		{ name: 'B', weight: 50 },
	],
};
const locator = (id: string) => ({ __rl: true, mode: 'id', value: id });

/** Report Sends as it follows n8n's Twilio node: Twilio's answer is the item. */
const reportSends = (
	campaignId: unknown,
	items: Array<Record<string, unknown>>,
	extra: Record<string, unknown> = {},
	continueOnFail = false,
) =>
	runNode({
		parameters: {
			resource: 'message',
			operation: 'reportSends',
			campaignId,
			recipient: '={{ $json.to }}',
			reportProvider: 'twilio',
			providerMessageId: '={{ $json.sid }}',
			status: '={{ $json.status }}',
			sentText: '={{ $json.body }}',
			reportOptions: {},
			...extra,
		},
		items,
		credentials: { smsTrackingApi: { baseUrl: proxy.url, apiKey: server.apiKey } },
		continueOnFail,
	});
const messages = (id: string) =>
	server.sql(
		'SELECT recipient, variant, provider, provider_message_id, segments, encoding, characters, status FROM messages WHERE campaign_id = $1 ORDER BY recipient',
		[id],
	);
async function shortUrl(id: string, recipient: string, variant?: string) {
	const res = await server.api('POST', `/api/v1/campaigns/${id}/links`, {
		recipients: [{ recipient, urls: ['https://shop.example/sale'], variant }],
	});
	return res.body.links[0] as { code: string; shortUrl: string };
}

test("when Twilio node outputs are reported, then each send is recorded with its recipient, message id, the links' variant and the text's segments", async () => {
	const id = await campaign(abTest);
	const a = await shortUrl(id, '+4915100000001', 'B');
	const text = `Sale ends tonight € ${a.shortUrl}`;
	const run = await reportSends(
		locator(id),
		[
			{ sid: 'SM0001', to: '0151 00000001', status: 'queued', body: text, name: 'Ann' },
			{ sid: 'SM0002', to: '+4915100000002', status: 'sent', body: 'No link, just hello' },
		],
		{ reportOptions: { defaultCallingCode: 'DE' } },
	);
	expect(run.error).toBeUndefined();
	const [first, second] = run.outputs[0];
	expect(first.pairedItem).toEqual({ item: 0 });
	expect(first.json).toMatchObject({
		name: 'Ann',
		reported: { campaignId: id, recipient: '+4915100000001', status: 'sent' },
	});
	expect(second.pairedItem).toEqual({ item: 1 });
	expect(await messages(id)).toEqual([
		{
			recipient: '+4915100000001',
			variant: 'B',
			provider: 'twilio',
			provider_message_id: 'SM0001',
			segments: 1,
			encoding: 'GSM-7',
			characters: text.length + 1, // € is an extension character: two septets
			status: 'sent',
		},
		{
			recipient: '+4915100000002',
			variant: null,
			provider: 'twilio',
			provider_message_id: 'SM0002',
			segments: 1,
			encoding: 'GSM-7',
			characters: 19,
			status: 'sent',
		},
	]);
});

test('when 10,001 sends are reported, then the node makes two calls and records every one', async () => {
	const id = await campaign();
	const items = Array.from({ length: 10_001 }, (_, i) => ({
		sid: `SMbulk${i}`,
		to: `+49151${String(i).padStart(8, '0')}`,
		status: 'queued',
		body: 'Hello',
	}));
	const before = proxy.count('POST', /\/messages$/);
	const run = await reportSends(locator(id), items);
	expect(run.error).toBeUndefined();
	expect(proxy.count('POST', /\/messages$/) - before).toBe(2);
	expect(
		(await server.sql('SELECT count(*)::int AS n FROM messages WHERE campaign_id = $1', [id]))[0].n,
	).toBe(10_001);
}, 60_000);

test('when the same sends are reported again, then nothing is recorded twice, with or without a message id', async () => {
	const id = await campaign();
	const items = [
		{ sid: 'SMagain1', to: '+4915100000011', status: 'sent', body: 'Hi' },
		{ sid: '', to: '+4915100000012', status: 'sent', body: 'Hi' },
	];
	await reportSends(locator(id), items, { reportProvider: 'other' });
	const again = await reportSends(locator(id), items, { reportProvider: 'other' });
	expect(again.error).toBeUndefined();
	expect((await messages(id)).map((m: any) => [m.recipient, m.provider_message_id])).toEqual([
		['+4915100000011', 'SMagain1'],
		['+4915100000012', null],
	]);
});

test("when Shorten Links' links are given instead of the text, then the send is tied to the recipient of those codes", async () => {
	const id = await campaign(abTest);
	const link = await shortUrl(id, '+4915100000021', 'A');
	const run = await reportSends(
		locator(id),
		[
			{
				sid: 'SMlinks',
				to: '+4915100000021',
				status: 'sent',
				links: [{ code: link.code, shortUrl: link.shortUrl }],
			},
		],
		{ sentText: '', sentLinks: '={{ $json.links }}' },
	);
	expect(run.error).toBeUndefined();
	expect(await messages(id)).toEqual([
		expect.objectContaining({ recipient: '+4915100000021', variant: 'A', segments: null }),
	]);
});

test('when an item has no recipient or a status a send cannot have, then it fails with its index, Continue On Fail keeps its fields, and only the good item is recorded', async () => {
	const id = await campaign();
	const items = [
		{ sid: 'SMbad1', to: '', status: 'sent', body: 'x', keep: 1 },
		{ sid: 'SMgood', to: '+4915100000031', status: 'sent', body: 'x' },
		{ sid: 'SMbad2', to: '+4915100000032', status: 'delivered', body: 'x', keep: 3 },
		{ sid: 'SMbad3', to: '+4915100000033', status: 'read', body: 'x' },
	];
	const stopped = await reportSends(locator(id), items);
	expect(stopped.error?.message).toContain('empty');
	expect(stopped.error?.context?.itemIndex).toBe(0);
	expect(await messages(id)).toEqual([]);

	const run = await reportSends(locator(id), items, {}, true);
	expect(run.error).toBeUndefined();
	const out = run.outputs[0];
	expect(out.map((o) => o.pairedItem)).toEqual([
		{ item: 0 },
		{ item: 1 },
		{ item: 2 },
		{ item: 3 },
	]);
	expect(out[0].json).toMatchObject({
		keep: 1,
		sid: 'SMbad1',
		error: expect.stringContaining('empty'),
	});
	expect(out[2].json).toMatchObject({
		keep: 3,
		error: expect.stringContaining('delivery reports'),
	});
	expect(out[3].json.error).toContain('"read"');
	expect((await messages(id)).map((m: any) => m.provider_message_id)).toEqual(['SMgood']);
});

test('when the campaign does not exist, then its items fail with their index and nothing is written', async () => {
	const id = await campaign();
	const items = [
		{ sid: 'SMnc1', to: '+4915100000041', status: 'sent', body: 'x', keep: 'a' },
		{ sid: 'SMnc2', to: '+4915100000042', status: 'sent', body: 'x', keep: 'b' },
	];
	const stopped = await reportSends(locator('cmp_doesNotExist000000'), items);
	expect(stopped.error?.message).toContain('does not exist');
	expect(stopped.error?.context?.itemIndex).toBe(0);

	const run = await reportSends(
		'={{ $json.keep === "a" ? "cmp_doesNotExist000000" : "' + id + '" }}',
		items,
		{},
		true,
	);
	expect(run.outputs[0][0].json).toMatchObject({
		keep: 'a',
		error: expect.stringContaining('does not exist'),
	});
	expect(run.outputs[0][1].json).toMatchObject({ keep: 'b', reported: { campaignId: id } });
	expect((await messages(id)).map((m: any) => m.provider_message_id)).toEqual(['SMnc2']);
});

test("when Twilio's signed delivery report arrives for a reported send, then the message is delivered in the campaign's stats", async () => {
	const id = await campaign();
	const link = await shortUrl(id, '+4915100000051');
	const sid = 'SM' + 'd4'.repeat(16);
	await reportSends(locator(id), [
		{ sid, to: '+4915100000051', status: 'queued', body: `Hi ${link.shortUrl}` },
	]);
	// Twilio signs the URL it was configured with: the public base URL's callback path.
	const signed = 'https://go.example/delivery-reports/twilio';
	const params = { MessageSid: sid, MessageStatus: 'delivered', AccountSid: 'AC1' };
	const data =
		signed +
		Object.keys(params)
			.sort()
			.map((k) => k + params[k as keyof typeof params])
			.join('');
	const res = await request(
		`${server.url}/delivery-reports/twilio`,
		'POST',
		new URLSearchParams(params).toString(),
		{
			'content-type': 'application/x-www-form-urlencoded',
			'x-twilio-signature': createHmac('sha1', twilioToken).update(data).digest('base64'),
		},
	);
	expect(res.status).toBe(204);
	const stats = (await server.api('GET', `/api/v1/campaigns/${id}/stats`)).body;
	expect(stats.totals).toMatchObject({ sent: 1, delivered: 1 });
});

test('when sends without links and a hold-out are reported, then a conversion by recipient counts and Get Recipients lists the hold-out', async () => {
	const id = await campaign(abTest);
	await reportSends(
		locator(id),
		[
			{
				sid: 'MB-1',
				to: '+4915100000061',
				status: 'sent',
				body: 'Spring sale, code SPRING',
				variant: 'A',
			},
			{ sid: '', to: '+4915100000062', status: 'holdout', body: '' },
		],
		{ reportProvider: 'messagebird', reportOptions: { variant: '={{ $json.variant }}' } },
	);
	const conversion = await server.api('POST', '/api/v1/conversions', {
		campaignId: id,
		recipient: '+4915100000061',
		name: 'purchase',
		value: 20,
		currency: 'EUR',
	});
	expect(conversion.status).toBeLessThan(300);
	const held = await server.api('GET', `/api/v1/campaigns/${id}/recipients?variant=holdout`);
	expect(held.body.recipients.map((r: { recipient: string }) => r.recipient)).toEqual([
		'+4915100000062',
	]);
	const stats = (await server.api('GET', `/api/v1/campaigns/${id}/stats`)).body;
	expect(stats.totals).toMatchObject({ sent: 1, conversions: 1 });
});

test('when the links are given as short URLs separated by commas, then they tie the send; when they are not links, then the item fails', async () => {
	const id = await campaign();
	const link = await shortUrl(id, '+4915100000071');
	const run = await reportSends(
		locator(id),
		[
			{ sid: 'SMurl', to: '+4915100000071', status: 'sent', links: `${link.shortUrl}, ` },
			{ sid: 'SMbadlinks', to: '+4915100000072', status: 'sent', links: [{ url: 'https://x' }] },
		],
		{ sentText: '', sentLinks: '={{ $json.links }}' },
		true,
	);
	expect(run.outputs[0][0].json.reported).toMatchObject({ codes: [link.code] });
	expect(run.outputs[0][1].json.error).toContain('Shortened Links');
	expect((await messages(id)).map((m: any) => m.provider_message_id)).toEqual(['SMurl']);
});
