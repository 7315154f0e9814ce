import { campaignWithLinks, subscriptionsTo } from '../harness/campaigns';
import type { Environment } from '../harness/environment';
import { nodeOutput } from '../harness/examples';
import { waitFor } from '../harness/processes';
import { userAgents, visit } from '../harness/visit';

/**
 * An SMS Tracking Trigger with "First Event per Recipient Only": the tracking server filters,
 * so a recipient's second click never reaches n8n.
 */
export function triggerFirstClickScenario(env: () => Environment): void {
	describe('trigger filtered to the first click per recipient', () => {
		test('when a recipient clicks twice and another once, then the workflow runs once per recipient, with the campaign name and the recipient metadata', async () => {
			const { n8n, tracking, credentials } = env();
			const [ada, bob] = ['+4915112343001', '+4915112343002'];
			const metadata = {
				[ada]: { contactId: 'c-1', firstName: 'Ada' },
				[bob]: { contactId: 'c-2', firstName: 'Bob' },
			};
			const { campaignId, links } = await campaignWithLinks(
				tracking,
				'First click only',
				[ada, bob],
				{},
				metadata,
			);
			const id = await n8n.createWorkflow({
				name: 'First click only',
				nodes: [
					{
						id: 'c1f2a3b4-0000-4000-8000-000000000101',
						name: 'On first click',
						type: 'n8n-nodes-sms-tracking.smsTrackingTrigger',
						typeVersion: 1,
						position: [0, 0],
						webhookId: 'e2e-first-click-only',
						parameters: {
							events: ['click'],
							campaignId: { __rl: true, mode: 'id', value: campaignId },
							options: { firstPerRecipient: true },
						},
						credentials: { smsTrackingApi: credentials.smsTrackingApi },
					},
				],
				connections: {},
			});
			await n8n.activate(id);
			const [subscription] = await waitFor(
				'the filtered subscription',
				async () => {
					const found = await subscriptionsTo(tracking, n8n.url);
					return found.length === 1 ? found : undefined;
				},
				15_000,
			);
			const remote = (await tracking.api('GET', `/api/v1/webhooks/${subscription.id}`)).body;
			expect(remote).toMatchObject({
				campaignId,
				events: ['click'],
				filters: expect.objectContaining({ firstPerRecipient: true }),
			});

			expect((await visit(links[ada], userAgents.androidChrome)).status).toBe(302);
			expect((await visit(links[ada], userAgents.iPhoneSafari)).status).toBe(302);
			expect((await visit(links[bob], userAgents.androidChrome)).status).toBe(302);

			const executions = await n8n.waitForExecutions(id, 2);
			// All three clicks are stored, and deliveries are written with their events: once the
			// stats count three clicks, the delivery list is final.
			await waitFor(
				'three clicks in the stats',
				async () => {
					const res = await tracking.api('GET', `/api/v1/campaigns/${campaignId}/stats`);
					return res.status === 200 && res.body.totals.clicks === 3 ? true : undefined;
				},
				15_000,
			);
			const deliveries = await waitFor(
				'both deliveries delivered',
				async () => {
					const res = await tracking.api('GET', `/api/v1/webhooks/${subscription.id}/deliveries`);
					const list = res.body.deliveries as Array<{ status: string }>;
					return list.every((d) => d.status === 'delivered') ? list : undefined;
				},
				15_000,
			);
			expect(deliveries).toHaveLength(2);
			const all = await n8n.executions(id);
			expect(all).toHaveLength(2);
			const payloads = executions
				.map((e) => nodeOutput(e, 'On first click')[0])
				.sort((a, b) => String(a.recipient).localeCompare(String(b.recipient)));
			expect(payloads.map((p) => p.recipient)).toEqual([ada, bob]);
			// What a CRM step needs, without a lookup: the campaign's name and the recipient's metadata
			for (const payload of payloads) {
				expect(payload.campaign).toEqual({ id: campaignId, name: 'First click only' });
				expect(payload.recipientMetadata).toEqual(metadata[payload.recipient as string]);
			}

			await n8n.deactivate(id);
			await waitFor(
				'the subscription removed',
				async () => (await subscriptionsTo(tracking, n8n.url)).length === 0,
				15_000,
			);
		});
	});
}
