import { runNode } from '../../support/n8n';
import { startTestServer, type TestServer } from '../../support/server';

let server: TestServer;
beforeAll(async () => {
	server = await startTestServer();
});
afterAll(() => server.close());

const track = (
	parameters: Record<string, unknown>,
	items: Array<Record<string, unknown>> = [{}],
	continueOnFail = false,
) =>
	runNode({
		parameters: { resource: 'conversion', operation: 'track', ...parameters },
		items,
		credentials: { smsTrackingApi: { baseUrl: server.url, apiKey: server.apiKey } },
		continueOnFail,
	});

async function campaignWithLink(recipient: string) {
	const id = (
		await server.api('POST', '/api/v1/campaigns', {
			name: 'conversions',
			conversionTracking: true,
			currency: 'EUR',
		})
	).body.id as string;
	await server.api('POST', `/api/v1/campaigns/${id}/links`, {
		recipients: [{ recipient, urls: ['https://shop.example/'] }],
	});
	return id;
}
const conversions = (id: string) =>
	server.sql(
		`SELECT recipient, conversion_name, conversion_value::float AS value, conversion_currency FROM events WHERE campaign_id = $1 AND type = 'conversion'`,
		[id],
	);

test('when a conversion is tracked by campaign and recipient with an idempotency key, then one conversion is stored however often it runs', async () => {
	const id = await campaignWithLink('+4915100000001');
	const parameters = {
		attributeBy: 'recipient',
		conversionCampaignId: id,
		conversionRecipient: '={{ $json.phone }}',
		conversionName: 'purchase',
		conversionFields: { value: 49.9, currency: 'eur', idempotencyKey: '={{ $json.order }}' },
	};
	const first = await track(parameters, [{ phone: '+49 151 00000001', order: 'order-1001' }]);
	expect(first.error).toBeUndefined();
	expect(first.outputs[0][0]).toMatchObject({
		json: { duplicate: false },
		pairedItem: { item: 0 },
	});
	const again = await track(parameters, [{ phone: '+4915100000001', order: 'order-1001' }]);
	expect(again.outputs[0][0].json.duplicate).toBe(true);
	expect(await conversions(id)).toEqual([
		{
			recipient: '+4915100000001',
			conversion_name: 'purchase',
			value: 49.9,
			conversion_currency: 'EUR',
		},
	]);
});

test('when the click id is unknown, then the node fails with the server message and the item index', async () => {
	const run = await track({
		attributeBy: 'clickId',
		clickId: 'A'.repeat(24),
		conversionName: 'purchase',
	});
	expect(run.error?.name).toBe('NodeApiError');
	expect(run.error?.context?.itemIndex).toBe(0);
	expect(run.error?.message).toBe(
		`No click with id ${'A'.repeat(24)} is recorded (click_not_found)`,
	);
});

test('when a recipient is not a phone number under Continue On Fail, then that item is an error and the next is tracked', async () => {
	const id = await campaignWithLink('+4915100000002');
	const run = await track(
		{
			attributeBy: 'recipient',
			conversionCampaignId: id,
			conversionRecipient: '={{ $json.phone }}',
			conversionName: 'signup',
		},
		[{ phone: 'nobody' }, { phone: '+4915100000002' }],
		true,
	);
	expect(run.outputs[0][0]).toMatchObject({
		json: { error: expect.stringContaining('Invalid recipient') },
		pairedItem: { item: 0 },
	});
	expect(run.outputs[0][1].pairedItem).toEqual({ item: 1 });
	expect(await conversions(id)).toHaveLength(1);
});
