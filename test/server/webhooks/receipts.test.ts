import { request, startTestServer, type TestServer } from '../../support/server';

// Receipts (POST /api/v1/webhooks/{id}/receipts): the trigger node's memory of the deliveries it
// ran, kept on the server so that it outlives an n8n restart.
let server: TestServer;
let webhookId: string;
beforeAll(async () => {
	server = await startTestServer({ WEBHOOK_DISPATCHER: 'off' });
	const hook = await server.api('POST', '/api/v1/webhooks', {
		url: 'http://127.0.0.1:9/hook',
		events: ['click'],
	});
	webhookId = hook.body.id;
});
afterAll(() => server.close());

const receipts = () =>
	server.sql('SELECT subscription_id, delivery_id FROM webhook_receipts ORDER BY 2');
const receive = (deliveryId: unknown, id = webhookId, key = server.apiKey) =>
	request(
		`${server.url}/api/v1/webhooks/${id}/receipts`,
		'POST',
		{ deliveryId },
		{
			authorization: `Bearer ${key}`,
		},
	);

test('when a delivery id is received twice, then the first is new (201) and the second a duplicate (200), also from another server instance', async () => {
	const first = await receive('msg_0001');
	expect([first.status, first.body]).toEqual([201, { deliveryId: 'msg_0001', duplicate: false }]);
	const again = await receive('msg_0001');
	expect([again.status, again.body]).toEqual([200, { deliveryId: 'msg_0001', duplicate: true }]);

	const other = await startTestServer({
		DATABASE_URL: server.databaseUrl,
		WEBHOOK_DISPATCHER: 'off',
	});
	try {
		const elsewhere = await request(
			`${other.url}/api/v1/webhooks/${webhookId}/receipts`,
			'POST',
			{ deliveryId: 'msg_0001' },
			{
				authorization: `Bearer ${other.apiKey}`,
			},
		);
		expect(elsewhere.body.duplicate).toBe(true);
	} finally {
		await other.close();
	}
	expect(await receipts()).toEqual([{ subscription_id: webhookId, delivery_id: 'msg_0001' }]);
});

test('when two redeliveries of one id arrive at once, then exactly one is new', async () => {
	const answers = await Promise.all(Array.from({ length: 8 }, () => receive('msg_race')));
	expect(answers.filter((a) => a.body.duplicate === false)).toHaveLength(1);
});

test.each([
	['no deliveryId', undefined, 400],
	['an empty deliveryId', '', 400],
	['a number', 42, 400],
	['spaces', 'msg 1', 400],
	['a too long id', 'x'.repeat(129), 400],
])('when the body has %s, then %i and nothing is stored', async (_what, deliveryId, status) => {
	const before = await receipts();
	const res = await receive(deliveryId);
	expect(res.status).toBe(status);
	expect(res.body.error.message).toMatch(/deliveryId/);
	expect(await receipts()).toEqual(before);
});

test('when the webhook does not exist, then 404 and nothing is stored', async () => {
	const before = await receipts();
	const res = await receive('msg_0002', 'whk_doesnotexist');
	expect([res.status, res.body.error.code]).toEqual([404, 'webhook_not_found']);
	expect(await receipts()).toEqual(before);
});

test('when a read or write key records a receipt, then 403: receipts need the webhooks scope', async () => {
	const before = await receipts();
	for (const scopes of [['read'], ['write']]) {
		const key = (await server.api('POST', '/api/v1/keys', { name: scopes[0], scopes })).body.key;
		expect((await receive('msg_0003', webhookId, key)).status).toBe(403);
	}
	const hooks = (await server.api('POST', '/api/v1/keys', { name: 'hooks', scopes: ['webhooks'] }))
		.body.key;
	expect((await receive('msg_0003', webhookId, hooks)).status).toBe(201);
	expect((await receipts()).length).toBe(before.length + 1);
});

test('when the webhook is deleted, then its receipts go with it', async () => {
	await server.api('DELETE', `/api/v1/webhooks/${webhookId}`);
	expect(await receipts()).toEqual([]);
});
