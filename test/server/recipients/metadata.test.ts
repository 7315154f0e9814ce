import { storeEvents } from '../../support/events';
import { startTestServer, type TestServer } from '../../support/server';
import { startReceiver, type Receiver } from '../../support/webhook-receiver';

let server: TestServer;
let hook: Receiver;
beforeAll(async () => {
	server = await startTestServer({ WEBHOOK_POLL_MS: '50', RECIPIENT_METADATA_MAX_BYTES: '200' });
	hook = await startReceiver();
});
afterAll(async () => {
	await hook.close();
	await server.close();
});

const ana = '+4915100000301';
const ben = '+4915100000302';
const sale = 'https://shop.example/sale';

async function campaign(name: string): Promise<string> {
	return (await server.api('POST', '/api/v1/campaigns', { name })).body.id;
}
const recipientsOf = async (id: string) =>
	Object.fromEntries(
		(await server.api('GET', `/api/v1/campaigns/${id}/recipients`)).body.recipients.map(
			(r: any) => [r.recipient, r.metadata],
		),
	);
const stored = (id: string) =>
	server.sql(
		'SELECT recipient, metadata FROM recipient_metadata WHERE campaign_id = $1 ORDER BY recipient',
		[id],
	);

test('when links are created with metadata, then Get Recipients returns it per recipient and a recipient without any has null', async () => {
	const id = await campaign('metadata via links');
	const res = await server.api('POST', `/api/v1/campaigns/${id}/links`, {
		recipients: [
			{ recipient: ana, urls: [sale], metadata: { contactId: 'c-1', firstName: 'Ana' } },
			{ recipient: ben, urls: [sale] },
		],
	});
	expect(res.status).toBe(200);
	expect(await recipientsOf(id)).toEqual({
		[ana]: { contactId: 'c-1', firstName: 'Ana' },
		[ben]: null,
	});
});

test('when a later send gives other metadata, then the latest replaces the earlier one (one object per recipient and campaign)', async () => {
	const id = await campaign('latest wins');
	await server.api('POST', `/api/v1/campaigns/${id}/links`, {
		recipients: [
			{ recipient: ana, urls: [sale], metadata: { contactId: 'c-1', firstName: 'Ana' } },
		],
	});
	const res = await server.api('POST', `/api/v1/campaigns/${id}/messages`, {
		messages: [
			{
				recipient: ana,
				status: 'sent',
				provider: 'seven',
				providerMessageId: `${id}-1`,
				metadata: { contactId: 'c-1', tier: 'gold' },
			},
		],
	});
	expect(res.status).toBe(200);
	expect(await recipientsOf(id)).toEqual({ [ana]: { contactId: 'c-1', tier: 'gold' } });
	// a send without metadata keeps what is stored
	await server.api('POST', `/api/v1/campaigns/${id}/messages`, {
		messages: [{ recipient: ana, status: 'sent', provider: 'seven', providerMessageId: `${id}-2` }],
	});
	expect(await stored(id)).toEqual([
		{ recipient: ana, metadata: { contactId: 'c-1', tier: 'gold' } },
	]);
});

test.each([
	['an array', ['c-1'], 'recipients[1].metadata must be a JSON object'],
	['a string', 'c-1', 'recipients[1].metadata must be a JSON object'],
	['a number', 42, 'recipients[1].metadata must be a JSON object'],
	[
		'too large',
		{ note: 'x'.repeat(300) },
		'recipients[1].metadata is 311 bytes of JSON; at most 200 are allowed',
	],
])(
	'when one link entry has metadata that is %s, then the request is a 400 naming it and nothing is written',
	async (_what, metadata, message) => {
		const id = await campaign('bad metadata via links');
		const res = await server.api('POST', `/api/v1/campaigns/${id}/links`, {
			recipients: [
				{ recipient: ana, urls: [sale], metadata: { ok: true } },
				{ recipient: ben, urls: [sale], metadata },
			],
		});
		expect(res.status).toBe(400);
		expect(res.body.error.message).toContain(message);
		expect(await stored(id)).toEqual([]);
		expect(await server.sql('SELECT code FROM links WHERE campaign_id = $1', [id])).toEqual([]);
	},
);

test('when one reported message has metadata that is not an object, then the report is a 400 and no message or metadata is written', async () => {
	const id = await campaign('bad metadata via messages');
	const res = await server.api('POST', `/api/v1/campaigns/${id}/messages`, {
		messages: [
			{ recipient: ana, status: 'sent', metadata: { ok: true } },
			{ recipient: ben, status: 'sent', metadata: [1, 2] },
		],
	});
	expect(res.status).toBe(400);
	expect(res.body.error).toEqual({
		code: 'invalid_metadata',
		message: 'messages[1].metadata must be a JSON object, such as {"contactId": "c-42"}',
	});
	expect(await stored(id)).toEqual([]);
	expect(await server.sql('SELECT id FROM messages WHERE campaign_id = $1', [id])).toEqual([]);
});

test('when an event of a recipient with metadata is delivered by webhook, then the payload carries the metadata and the campaign name; the events API shows the metadata too', async () => {
	const id = await campaign('Spring sale');
	const links = await server.api('POST', `/api/v1/campaigns/${id}/links`, {
		recipients: [
			{ recipient: ana, urls: [sale], metadata: { contactId: 'c-9', firstName: 'Ana' } },
		],
	});
	const sub = await server.api('POST', '/api/v1/webhooks', {
		url: hook.url,
		events: ['click'],
		campaignId: id,
	});
	expect(sub.status).toBe(201);
	await storeEvents(server, [
		{
			type: 'click',
			campaignId: id,
			code: links.body.links[0].code,
			recipient: ana,
			url: sale,
			clickId: 'metadataClick000000000',
		},
	]);
	const [request] = await hook.waitFor(1);
	const payload = JSON.parse(request.body);
	expect(payload).toMatchObject({
		campaignId: id,
		campaign: { id, name: 'Spring sale' },
		recipient: ana,
		recipientMetadata: { contactId: 'c-9', firstName: 'Ana' },
	});
	const events = await server.api('GET', `/api/v1/campaigns/${id}/events`);
	expect(events.body.events[0].recipientMetadata).toEqual({ contactId: 'c-9', firstName: 'Ana' });
});
