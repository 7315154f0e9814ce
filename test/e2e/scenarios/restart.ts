import { campaignWithLinks, subscriptionsTo } from '../harness/campaigns';
import type { Environment } from '../harness/environment';
import { loadExample, nodeOutput } from '../harness/examples';
import { waitFor } from '../harness/processes';
import { userAgents, visit } from '../harness/visit';

/**
 * n8n restarted (SIGTERM, as a deploy does) while a trigger workflow is active: n8n neither
 * unsubscribes on the way down nor subscribes again on the way up, so events keep arriving only
 * because the tracking server kept the subscription.
 */
export function restartScenario(env: () => Environment): void {
	describe('restart (examples/click-follow-up.json)', () => {
		test('when n8n restarts with the click workflow active, then clicks still start it', async () => {
			const { n8n, tracking, receiver, credentials } = env();
			const id = await n8n.createWorkflow({
				...loadExample('click-follow-up.json', credentials, { 'https://crm.example.com': receiver.url }),
				name: 'Follow up when a recipient clicks (restart)',
			});
			await n8n.activate(id);
			const [subscription] = await waitFor('the subscription', async () => {
				const found = await subscriptionsTo(tracking, n8n.url);
				return found.length === 1 ? found : undefined;
			}, 15_000);

			await n8n.restart();
			expect(await subscriptionsTo(tracking, n8n.url)).toEqual([subscription]);

			const recipient = '+4915112343001';
			const { links } = await campaignWithLinks(tracking, 'After restart', [recipient]);
			const before = receiver.on('/hooks/sms-clicked').length;
			expect((await visit(links[recipient], userAgents.iPhoneSafari)).status).toBe(302);
			await waitFor('the follow-up call after the restart', () => receiver.on('/hooks/sms-clicked').length > before, 15_000, 100);
			const [execution] = await n8n.waitForExecutions(id, 1);
			expect(execution.status).toBe('success');
			expect(nodeOutput(execution, 'On click')).toEqual([expect.objectContaining({ type: 'click', recipient })]);

			await n8n.deactivate(id);
			await waitFor('the subscription removed', async () => (await subscriptionsTo(tracking, n8n.url)).length === 0, 15_000);
		}, 180_000);
	});
}
