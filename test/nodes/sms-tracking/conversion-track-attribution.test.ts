import { runNode } from '../../support/n8n';
import { startTestServer, type TestServer } from '../../support/server';

let server: TestServer;
beforeAll(async () => {
	server = await startTestServer();
});
afterAll(() => server.close());

const track = (typeVersion: number, parameters: Record<string, unknown>) =>
	runNode({
		parameters: { resource: 'conversion', operation: 'track', ...parameters },
		items: [{}],
		credentials: { smsTrackingApi: { baseUrl: server.url, apiKey: server.apiKey } },
		typeVersion,
	});

async function campaignWithLink(recipient: string) {
	const id = (
		await server.api('POST', '/api/v1/campaigns', { name: 'attribution', conversionTracking: true })
	).body.id as string;
	await server.api('POST', `/api/v1/campaigns/${id}/links`, {
		recipients: [{ recipient, urls: ['https://shop.example/'] }],
	});
	return id;
}

test('when a new node (version 2) leaves Attribute By at its default, then it attributes by campaign and a national number with the default country', async () => {
	const id = await campaignWithLink('+4915132000001');
	const run = await track(2, {
		conversionCampaignId: id,
		conversionRecipient: '0151 32000001',
		conversionName: 'purchase',
		conversionFields: { defaultCallingCode: 'DE' },
	});
	expect(run.error).toBeUndefined();
	expect(
		await server.sql(
			`SELECT recipient, conversion_name FROM events WHERE campaign_id = $1 AND type = 'conversion'`,
			[id],
		),
	).toEqual([{ recipient: '+4915132000001', conversion_name: 'purchase' }]);
});

test('when a national number has no default country, then the node names the recipient as invalid', async () => {
	const id = await campaignWithLink('+4915132000002');
	const run = await track(2, {
		conversionCampaignId: id,
		conversionRecipient: '0151 32000002',
		conversionName: 'purchase',
	});
	expect(run.error?.message).toContain('Invalid recipient');
});

test('when a workflow saved with version 1 left Attribute By at its old default, then it still attributes by click ID', async () => {
	// Version 1 saved no `attributeBy` for click ID attribution: the server is asked for the click.
	const run = await track(1, { clickId: 'B'.repeat(24), conversionName: 'purchase' });
	expect(run.error?.message).toBe(
		`No click with id ${'B'.repeat(24)} is recorded (click_not_found)`,
	);
});
