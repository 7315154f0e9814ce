import { SmsTrackingTrigger } from '../../../nodes/SmsTrackingTrigger/SmsTrackingTrigger.node';
import { campaignWithLink, storeEvents } from '../../support/events';
import { startN8nHost, type N8nHost } from '../../support/n8n-host';
import { startTestServer, type TestServer } from '../../support/server';
import { waitFor } from '../../support/wait';

let server: TestServer;
const hosts: N8nHost[] = [];
beforeAll(async () => {
	server = await startTestServer({ WEBHOOK_POLL_MS: '50', WEBHOOK_RETRY_SCHEDULE: '100ms' });
});
afterAll(async () => {
	for (const host of hosts) await host.close();
	await server.close();
});

async function host(parameters: Record<string, unknown>) {
	const h = await startN8nHost(new SmsTrackingTrigger(), {
		serverUrl: server.url,
		apiKey: server.apiKey,
		parameters,
	});
	hosts.push(h);
	return h;
}

async function subscriptionsFor(url: string) {
	return (await server.api('GET', `/api/v1/webhooks?url=${encodeURIComponent(url)}`)).body
		.webhooks as any[];
}

test("when the trigger's options are set, then the subscription on the server carries them as filters", async () => {
	const { campaignId } = await campaignWithLink(server);
	const n8n = await host({
		events: ['click', 'conversion'],
		campaignId,
		options: {
			firstPerRecipient: true,
			urlContains: ' /pricing ',
			variant: 'B',
			conversionName: '',
			wave: 'Reminder',
		},
	});
	expect(await n8n.create()).toBe(true);
	const [remote] = await subscriptionsFor(n8n.webhookUrl);
	expect(remote.filters).toEqual({
		firstPerRecipient: true,
		urlContains: '/pricing',
		variant: 'B',
		conversionName: null,
		wave: 'Reminder',
	});
	expect(await n8n.checkExists()).toBe(true);
});

test('when an option is changed, then checkExists says no and create replaces the subscription with the new filters', async () => {
	const { campaignId } = await campaignWithLink(server);
	const n8n = await host({ events: ['click'], campaignId, options: {} });
	await n8n.create();
	const first = (n8n.staticData() as { subscriptionId: string }).subscriptionId;
	expect((await subscriptionsFor(n8n.webhookUrl))[0].filters.firstPerRecipient).toBe(false);
	expect(await n8n.checkExists()).toBe(true);

	n8n.node.parameters.options = { firstPerRecipient: true };
	expect(await n8n.checkExists()).toBe(false);
	await n8n.create();
	const subs = await subscriptionsFor(n8n.webhookUrl);
	expect(subs).toHaveLength(1);
	expect(subs[0].id).not.toBe(first);
	expect(subs[0].filters.firstPerRecipient).toBe(true);

	n8n.node.parameters.options = { firstPerRecipient: true, urlContains: 'sale' };
	expect(await n8n.checkExists()).toBe(false);
});

test('when the trigger takes only first clicks and a recipient clicks twice, then the workflow starts once', async () => {
	const { campaignId, link } = await campaignWithLink(server);
	const n8n = await host({ events: ['click'], campaignId, options: { firstPerRecipient: true } });
	await n8n.create();
	const { subscriptionId } = n8n.staticData() as { subscriptionId: string };
	const click = (clickId: string) => ({
		type: 'click' as const,
		campaignId,
		code: link.code,
		recipient: link.recipient,
		url: link.url,
		clickId,
	});
	await storeEvents(server, [click('FirstClick0123456789'), click('SecondClick012345678')]);
	await storeEvents(server, [click('ThirdClick0123456789')]);

	await waitFor(() => n8n.calls.length, { what: 'the trigger to emit the first click' });
	// Every delivery is written with its event; once they are all delivered and the dispatcher
	// holds nothing, no further call can reach the trigger.
	await waitFor(
		async () =>
			(await server.api('GET', `/api/v1/webhooks/${subscriptionId}/deliveries`)).body
				.deliveries as any[],
		{
			what: 'the deliveries to be delivered',
			until: (d) => d.every((x) => x.status === 'delivered'),
		},
	);
	await server.webhookDispatcher!.whenIdle();
	expect(n8n.calls).toHaveLength(1);
	expect(n8n.calls[0].workflowData![0][0].json).toMatchObject({
		clickId: 'FirstClick0123456789',
		recipient: link.recipient,
	});
});
