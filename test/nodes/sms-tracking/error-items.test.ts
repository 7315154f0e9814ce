import { runNode } from '../../support/n8n';
import { sendParameters, useServerAndSeven } from '../../support/node-workflows';

const env = useServerAndSeven();
const campaign = () => env.campaign('errors');
const run = (parameters: Record<string, unknown>, items: Array<Record<string, unknown>>) =>
	runNode({ parameters, items, credentials: env.credentials(), continueOnFail: true });

describe('under Continue On Fail, error items keep the input fields beside error', () => {
	test('when Shorten gets a bad recipient, then its error item carries the input fields', async () => {
		const id = await campaign();
		const result = await run(
			{
				resource: 'message',
				operation: 'shorten',
				campaignId: id,
				recipient: '={{ $json.phone }}',
				text: 'Hi https://shop.example/',
			},
			[
				{ phone: 'nobody', firstName: 'Ann', crmId: 7 },
				{ phone: '+4915131000001', firstName: 'Bob', crmId: 8 },
			],
		);
		expect(result.error).toBeUndefined();
		const [bad, good] = result.outputs[0];
		expect(bad).toEqual({
			json: {
				phone: 'nobody',
				firstName: 'Ann',
				crmId: 7,
				error: expect.stringContaining('Invalid recipient'),
			},
			pairedItem: { item: 0 },
		});
		expect(good.json.recipient).toBe('+4915131000001');
	});

	test('when the provider refuses a message, then its failed item carries the input fields and the send details', async () => {
		const id = await campaign();
		const refused = '+4915131000002';
		env.seven.failFor.set(refused, '202');
		const result = await run(
			sendParameters(id, { text: 'Hi https://shop.example/', provider: 'seven' }),
			[
				{ phone: refused, firstName: 'Cem' },
				{ phone: '+4915131000003', firstName: 'Dana' },
			],
		);
		expect(result.error).toBeUndefined();
		const [failed, sent] = result.outputs[0];
		expect(failed.pairedItem).toEqual({ item: 0 });
		expect(failed.json).toMatchObject({
			phone: refused,
			firstName: 'Cem',
			recipient: refused,
			status: 'failed',
			error: expect.any(String),
		});
		expect(sent.json).toMatchObject({ status: 'sent', recipient: '+4915131000003' });
	});

	test('when a campaign operation fails for an item, then its error item carries the input fields', async () => {
		const result = await run(
			{ resource: 'campaign', operation: 'get', campaignId: '={{ $json.campaign }}' },
			[{ campaign: 'cmp_does_not_exist', orderId: 'order-1' }],
		);
		expect(result.error).toBeUndefined();
		expect(result.outputs[0][0]).toEqual({
			json: {
				campaign: 'cmp_does_not_exist',
				orderId: 'order-1',
				error: expect.any(String),
				errorDescription: expect.anything(),
			},
			pairedItem: { item: 0 },
		});
	});
});
