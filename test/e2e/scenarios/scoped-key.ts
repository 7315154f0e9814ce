import { campaignWithLinks, subscriptionsTo } from '../harness/campaigns';
import type { Environment } from '../harness/environment';
import { loadExample, nodeOutput } from '../harness/examples';
import { waitFor } from '../harness/processes';
import { userAgents, visit } from '../harness/visit';

/**
 * examples/click-follow-up.json with a credential whose key holds only the `webhooks` scope (what
 * docs/nodes.md says the trigger needs): it subscribes, runs on a click, and unsubscribes.
 */
export function scopedKeyScenario(env: () => Environment): void {
	describe('a trigger with a webhooks-only key', () => {
		test('when the trigger runs on a key of scope webhooks, then it subscribes, runs on a click and unsubscribes', async () => {
			const { n8n, tracking, receiver, credentials } = env();
			const key = await tracking.api('POST', '/api/v1/keys', { name: 'n8n trigger', scopes: ['webhooks'] });
			expect(key.status).toBe(201);
			const credential = await n8n.createCredential('SMS Tracking (webhooks key)', 'smsTrackingApi', {
				baseUrl: tracking.url,
				apiKey: key.body.key,
			});
			const recipient = '+4915112341901';
			const { campaignId, links } = await campaignWithLinks(tracking, 'Webhooks key', [recipient]);
			const workflow = loadExample('click-follow-up.json', { ...credentials, smsTrackingApi: credential }, {
				'https://crm.example.com': receiver.url,
				'"campaignId": ""': `"campaignId": "${campaignId}"`,
				'6f0c3a52-7d0e-4c8e-9a51-3c1f2b7a0e01': '6f0c3a52-7d0e-4c8e-9a51-3c1f2b7a0e99',
			});
			const id = await n8n.createWorkflow({ ...workflow, name: 'Follow up with a webhooks-only key' });
			const before = new Set((await subscriptionsTo(tracking, n8n.url)).map((s) => s.id));
			await n8n.activate(id);
			await waitFor('its subscription', async () => (await subscriptionsTo(tracking, n8n.url)).find((s) => !before.has(s.id)), 15_000);

			expect((await visit(links[recipient], userAgents.androidChrome)).status).toBe(302);
			const [execution] = await n8n.waitForExecutions(id, 1);
			expect(execution.status).toBe('success');
			expect(nodeOutput(execution, 'On click')).toEqual([expect.objectContaining({ type: 'click', recipient, campaignId })]);

			await n8n.deactivate(id);
			await waitFor('its subscription to be removed', async () => (await subscriptionsTo(tracking, n8n.url)).every((s) => before.has(s.id)), 15_000);
		});
	});
}
