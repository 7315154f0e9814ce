import { SmsTrackingTrigger } from '../../../nodes/SmsTrackingTrigger/SmsTrackingTrigger.node';
import { startN8nHost, type N8nHost } from '../../support/n8n-host';
import { startTestServer, type TestServer } from '../../support/server';

let server: TestServer;
const hosts: N8nHost[] = [];
beforeAll(async () => {
	server = await startTestServer();
});
afterAll(async () => {
	for (const host of hosts) await host.close();
	await server.close();
});

async function activate(campaignId: unknown) {
	const n8n = await startN8nHost(new SmsTrackingTrigger(), {
		serverUrl: server.url,
		apiKey: server.apiKey,
		parameters: { events: ['click'], campaignId } as never,
	});
	hosts.push(n8n);
	expect(await n8n.create()).toBe(true);
	const subscriptions = (
		await server.api('GET', `/api/v1/webhooks?url=${encodeURIComponent(n8n.webhookUrl)}`)
	).body.webhooks as Array<{ campaignId: string | null }>;
	return subscriptions;
}

test("when the trigger's campaign is picked by its dashboard URL, then the subscription is filtered to that campaign", async () => {
	const campaign = (await server.api('POST', '/api/v1/campaigns', { name: 'trigger pick' })).body;
	const subscriptions = await activate({
		__rl: true,
		mode: 'url',
		value: `${server.url}/dashboard/#/campaigns/${campaign.id}`,
	});
	expect(subscriptions).toEqual([expect.objectContaining({ campaignId: campaign.id })]);
});

test("when the trigger's campaign is picked from the list, then the subscription is filtered to it", async () => {
	const campaign = (await server.api('POST', '/api/v1/campaigns', { name: 'trigger list' })).body;
	const subscriptions = await activate({ __rl: true, mode: 'list', value: campaign.id });
	expect(subscriptions).toEqual([expect.objectContaining({ campaignId: campaign.id })]);
});

test('when no campaign is picked, then the subscription covers every campaign', async () => {
	const subscriptions = await activate({ __rl: true, mode: 'list', value: '' });
	expect(subscriptions).toEqual([expect.objectContaining({ campaignId: null })]);
});
