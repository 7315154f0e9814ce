import { SmsTrackingTrigger } from '../../../nodes/SmsTrackingTrigger/SmsTrackingTrigger.node';
import { seedAbCampaign } from '../../support/ab-test-seed';
import { startN8nHost, type N8nHost } from '../../support/n8n-host';
import { startTestServer, type TestServer } from '../../support/server';
import { waitFor } from '../../support/wait';

let server: TestServer;
let n8n: N8nHost;
beforeAll(async () => {
	server = await startTestServer({
		WEBHOOK_POLL_MS: '50',
		WEBHOOK_RETRY_SCHEDULE: '100ms',
		AB_TEST_CHECK_INTERVAL_MS: '100',
	});
});
afterAll(async () => {
	await n8n?.close();
	await server.close();
});

test('when the trigger lists its events, then Winner is one of them', () => {
	const events = new SmsTrackingTrigger().description.properties.find((p) => p.name === 'events')!;
	expect(events.options).toEqual(
		expect.arrayContaining([expect.objectContaining({ name: 'Winner', value: 'winner' })]),
	);
});

test('when the trigger listens for winner and the rule decides the test, then the workflow starts once with the winner, its text and the hold-out', async () => {
	const campaignId = await seedAbCampaign(
		server,
		{
			A: { sent: 1000, clickers: 150, text: 'Sale today' },
			B: { sent: 1000, clickers: 200, text: 'Only today: -20 %' },
		},
		{ holdout: 120 },
	);
	n8n = await startN8nHost(new SmsTrackingTrigger(), {
		serverUrl: server.url,
		apiKey: server.apiKey,
		parameters: { events: ['winner'], campaignId, options: {} },
	});
	expect(await n8n.create()).toBe(true);
	await server.api('PATCH', `/api/v1/campaigns/${campaignId}`, {
		abTestRule: { metric: 'ctr', decide: 'whenMet', deadlineAfterHours: 24 },
	});

	await waitFor(() => n8n.calls.length, { what: 'the trigger to emit the winner' });
	const { subscriptionId } = n8n.staticData() as { subscriptionId: string };
	await waitFor(
		async () =>
			(await server.api('GET', `/api/v1/webhooks/${subscriptionId}/deliveries`)).body
				.deliveries as any[],
		{
			what: 'the delivery to be delivered',
			until: (d) => d.length === 1 && d[0].status === 'delivered',
		},
	);
	await server.webhookDispatcher!.whenIdle();
	expect(n8n.calls).toHaveLength(1);
	expect(n8n.calls[0].workflowData![0][0].json).toMatchObject({
		type: 'winner',
		campaignId,
		variant: 'B',
		winner: {
			variant: 'B',
			text: 'Only today: -20 %',
			tie: false,
			decidedBy: 'significance',
			significant: true,
			metric: 'ctr',
			holdoutRecipients: 120,
		},
	});
});
