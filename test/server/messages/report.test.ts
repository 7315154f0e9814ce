import { startTestServer, type TestServer } from '../../support/server';

let server: TestServer;
beforeAll(async () => {
	server = await startTestServer();
});
afterAll(() => server.close());

const campaign = async (extra: Record<string, unknown> = {}) =>
	(await server.api('POST', '/api/v1/campaigns', { name: 'messages', ...extra })).body.id as string;
const report = (id: string, messages: unknown[]) =>
	server.api('POST', `/api/v1/campaigns/${id}/messages`, { messages });

describe('POST /campaigns/:id/messages', () => {
	test('when sends, failures and hold-outs are reported, then each is stored with its details', async () => {
		const id = await campaign();
		const res = await report(id, [
			{
				recipient: '+4915100000001',
				variant: 'A',
				provider: 'seven',
				providerMessageId: '77001',
				segments: 2,
				encoding: 'GSM-7',
				characters: 170,
				status: 'sent',
			},
			{
				recipient: '+4915100000002',
				provider: 'twilio',
				status: 'failed',
				error: 'The To number is not valid',
			},
			{ recipient: '+4915100000003', variant: 'holdout', status: 'holdout' },
		]);
		expect(res.status).toBe(200);
		expect(res.body).toEqual({ recorded: 3 });
		const rows = await server.sql(
			'SELECT recipient, variant, provider, provider_message_id, segments, encoding, characters, status, error FROM messages WHERE campaign_id = $1 ORDER BY recipient',
			[id],
		);
		expect(rows).toEqual([
			{
				recipient: '+4915100000001',
				variant: 'A',
				provider: 'seven',
				provider_message_id: '77001',
				segments: 2,
				encoding: 'GSM-7',
				characters: 170,
				status: 'sent',
				error: null,
			},
			{
				recipient: '+4915100000002',
				variant: null,
				provider: 'twilio',
				provider_message_id: null,
				segments: null,
				encoding: null,
				characters: null,
				status: 'failed',
				error: 'The To number is not valid',
			},
			{
				recipient: '+4915100000003',
				variant: 'holdout',
				provider: null,
				provider_message_id: null,
				segments: null,
				encoding: null,
				characters: null,
				status: 'holdout',
				error: null,
			},
		]);
	});

	test('when the same report is sent again (a retried execution), then nothing is stored twice', async () => {
		const id = await campaign();
		const messages = [
			{
				recipient: '+4915100000001',
				provider: 'seven',
				providerMessageId: 'dup-1',
				status: 'sent',
			},
			{ recipient: '+4915100000002', status: 'holdout' },
		];
		expect((await report(id, messages)).body).toEqual({ recorded: 2 });
		expect((await report(id, messages)).body).toEqual({ recorded: 0 });
		const [{ count }] = await server.sql(
			'SELECT count(*)::int AS count FROM messages WHERE campaign_id = $1',
			[id],
		);
		expect(count).toBe(2);
	});

	test.each([
		['the status is unknown', [{ recipient: '+4915100000001', status: 'delivered' }]],
		['the recipient is not a phone number', [{ recipient: 'bob', status: 'sent' }]],
		[
			'a provider message id comes without a provider',
			[{ recipient: '+4915100000001', providerMessageId: 'x', status: 'sent' }],
		],
		[
			'segments is not a whole number',
			[{ recipient: '+4915100000001', segments: 1.5, status: 'sent' }],
		],
		['an unknown field is given', [{ recipient: '+4915100000001', status: 'sent', cost: 1 }]],
		['the list is empty', []],
	])('when %s, then it is a 400 and nothing is stored', async (_name, messages) => {
		const id = await campaign();
		const res = await report(id, messages as unknown[]);
		expect(res.status).toBe(400);
		expect(res.body.error.code).toMatch(/^invalid_/);
		const [{ count }] = await server.sql(
			'SELECT count(*)::int AS count FROM messages WHERE campaign_id = $1',
			[id],
		);
		expect(count).toBe(0);
	});

	test('when more than 10,000 messages come in one call, then it is a 400', async () => {
		const id = await campaign();
		const res = await report(
			id,
			Array.from({ length: 10_001 }, () => ({ recipient: '+4915100000001', status: 'failed' })),
		);
		expect(res.status).toBe(400);
	});

	test('when the campaign does not exist, then it is a 404', async () => {
		const res = await report('cmp_missing', [{ recipient: '+4915100000001', status: 'sent' }]);
		expect(res.status).toBe(404);
	});
});
