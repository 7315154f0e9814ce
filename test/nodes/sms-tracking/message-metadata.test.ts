import { runNode } from '../../support/n8n';
import {
	abSendParameters,
	phoneItems,
	sendParameters,
	useServerAndSeven,
} from '../../support/node-workflows';

const env = useServerAndSeven();

const stored = (campaignId: string) =>
	env.server.sql(
		'SELECT recipient, metadata FROM recipient_metadata WHERE campaign_id = $1 ORDER BY recipient',
		[campaignId],
	);
const links = (campaignId: string) =>
	env.server.sql('SELECT recipient FROM links WHERE campaign_id = $1', [campaignId]);

const shorten = (
	campaignId: string,
	items: Array<Record<string, unknown>>,
	metadata: unknown,
	continueOnFail = false,
) =>
	runNode({
		parameters: {
			resource: 'message',
			operation: 'shorten',
			campaignId,
			recipient: '={{ $json.phone }}',
			text: 'Sale: https://shop.example/sale',
			options: { metadata },
		},
		items,
		credentials: env.credentials(),
		continueOnFail,
	});

test('when Shorten gets Recipient Metadata from an expression, then each recipient’s object is stored for the campaign', async () => {
	const id = await env.campaign('metadata shorten');
	const run = await shorten(
		id,
		[
			{ phone: '+4915200000501', crmId: 'c-1', firstName: 'Ana' },
			{ phone: '+4915200000502', crmId: 'c-2', firstName: 'Ben' },
		],
		'={{ { contactId: $json.crmId, firstName: $json.firstName } }}',
	);
	expect(run.error).toBeUndefined();
	expect(await stored(id)).toEqual([
		{ recipient: '+4915200000501', metadata: { contactId: 'c-1', firstName: 'Ana' } },
		{ recipient: '+4915200000502', metadata: { contactId: 'c-2', firstName: 'Ben' } },
	]);
});

test('when Send gets Recipient Metadata as JSON text, then it is stored, and a later send with other metadata replaces it', async () => {
	const id = await env.campaign('metadata send');
	const send = (metadata: string) =>
		runNode({
			parameters: sendParameters(id, {
				provider: 'seven',
				text: 'Hi: https://shop.example/sale',
				options: { metadata },
			}),
			items: phoneItems(['+4915200000511']),
			credentials: env.credentials(),
		});
	expect((await send('{"contactId": "c-11", "stage": "lead"}')).error).toBeUndefined();
	expect(await stored(id)).toEqual([
		{ recipient: '+4915200000511', metadata: { contactId: 'c-11', stage: 'lead' } },
	]);
	expect((await send('{"contactId": "c-11", "stage": "customer"}')).error).toBeUndefined();
	expect(await stored(id)).toEqual([
		{ recipient: '+4915200000511', metadata: { contactId: 'c-11', stage: 'customer' } },
	]);
});

test('when an A/B send holds a recipient out, then the hold-out’s metadata is stored too (for the winner send and its webhooks)', async () => {
	const id = await env.campaign('metadata hold-out');
	const phones = Array.from({ length: 20 }, (_, i) => `+49152000006${String(i).padStart(2, '0')}`);
	const run = await runNode({
		parameters: abSendParameters(
			id,
			{ A: 'A https://shop.example/a', B: 'B https://shop.example/b' },
			{
				holdoutPercent: 50,
				options: { metadata: '={{ { phone: $json.phone } }}' },
			},
		),
		items: phoneItems(phones),
		credentials: env.credentials(),
	});
	expect(run.error).toBeUndefined();
	const held = run.outputs[1].map((o) => o.json.recipient as string);
	expect(held.length).toBeGreaterThan(0);
	const rows = await stored(id);
	expect(rows).toHaveLength(20);
	for (const recipient of held)
		expect(rows).toContainEqual({ recipient, metadata: { phone: recipient } });
});

test.each([
	['an array', '[1, 2]', 'Recipient Metadata must be a JSON object'],
	['a number', '42', 'Recipient Metadata must be a JSON object'],
	['not JSON', '{contactId: c-1', 'Recipient Metadata is not valid JSON'],
])(
	'when one item’s Recipient Metadata is %s, then that item fails with a clear error and nothing is written for it',
	async (_what, bad, message) => {
		const id = await env.campaign('bad metadata');
		const run = await shorten(
			id,
			[
				{ phone: '+4915200000521', metadata: '{"ok": true}' },
				{ phone: '+4915200000522', metadata: bad },
			],
			'={{ $json.metadata }}',
			true,
		);
		expect(run.outputs[0].map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(run.outputs[0][1].json.error).toBe(message);
		expect(await stored(id)).toEqual([{ recipient: '+4915200000521', metadata: { ok: true } }]);
		expect((await links(id)).map((l) => l.recipient)).toEqual(['+4915200000521']);
	},
);

test('when Recipient Metadata is not an object and Continue On Fail is off, then the node stops with the item index before any link is created', async () => {
	const id = await env.campaign('bad metadata stops');
	const run = await shorten(
		id,
		[{ phone: '+4915200000531' }, { phone: '+4915200000532' }],
		'["x"]',
	);
	expect(run.error?.message).toBe('Recipient Metadata must be a JSON object');
	expect(run.error?.context?.itemIndex).toBe(0);
	expect(await links(id)).toEqual([]);
	expect(await stored(id)).toEqual([]);
});

test('when one item’s Recipient Metadata is larger than the server allows, then only that item fails with the server’s limit, and the others of its batch get their links and metadata', async () => {
	const id = await env.campaign('metadata too large');
	const run = await shorten(
		id,
		[
			{ phone: '+4915200000541', metadata: '{"contactId": "c-41"}' },
			{ phone: '+4915200000542', metadata: JSON.stringify({ note: 'x'.repeat(3000) }) },
			{ phone: '+4915200000543', metadata: '{"contactId": "c-43"}' },
		],
		'={{ $json.metadata }}',
		true,
	);
	expect(run.outputs[0].map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	expect(run.outputs[0][1].json.error).toBe(
		'Recipient Metadata is 3011 bytes of JSON; at most 2048 are allowed',
	);
	expect(run.outputs[0][0].json.links).toHaveLength(1);
	expect(run.outputs[0][2].json.links).toHaveLength(1);
	expect((await links(id)).map((l) => l.recipient).sort()).toEqual([
		'+4915200000541',
		'+4915200000543',
	]);
	expect(await stored(id)).toEqual([
		{ recipient: '+4915200000541', metadata: { contactId: 'c-41' } },
		{ recipient: '+4915200000543', metadata: { contactId: 'c-43' } },
	]);
});

test('when a message without links carries metadata the server refuses, then it is still sent and recorded, without the metadata, and its item says so', async () => {
	const id = await env.campaign('metadata without links');
	const run = await runNode({
		parameters: sendParameters(id, {
			provider: 'seven',
			text: 'Your order has shipped.',
			options: { metadata: JSON.stringify({ note: 'x'.repeat(3000) }) },
		}),
		items: phoneItems(['+4915200000551']),
		credentials: env.credentials(),
	});
	expect(run.error).toBeUndefined();
	expect(run.outputs[0][0].json).toMatchObject({
		status: 'sent',
		metadataError:
			'Recipient Metadata is 3011 bytes of JSON; at most 2048 are allowed; it was not stored',
	});
	expect(await env.server.sql('SELECT status FROM messages WHERE campaign_id = $1', [id])).toEqual([
		{ status: 'sent' },
	]);
	expect(await stored(id)).toEqual([]);
});
