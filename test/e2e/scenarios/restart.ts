import { Webhook } from 'standardwebhooks';
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

		test('when the tracking server redelivers a webhook after n8n restarted, then the trigger acknowledges it as a duplicate and the workflow does not run again', async () => {
			const { n8n, tracking, receiver, credentials } = env();
			const id = await n8n.createWorkflow({
				...loadExample('click-follow-up.json', credentials, { 'https://crm.example.com': receiver.url }),
				name: 'Follow up when a recipient clicks (redelivery)',
			});
			await n8n.activate(id);
			const [subscription] = await waitFor('the subscription', async () => {
				const found = await subscriptionsTo(tracking, n8n.url);
				return found.length === 1 ? found : undefined;
			}, 15_000);
			const recipient = '+4915112343002';
			const { links } = await campaignWithLinks(tracking, 'Redelivery after restart', [recipient]);
			expect((await visit(links[recipient], userAgents.iPhoneSafari)).status).toBe(302);
			await n8n.waitForExecutions(id, 1);

			// What n8n saved in its database for the trigger: the subscription's secret and the id delivered.
			const staticData = async () => {
				const workflow = await n8n.api<{ staticData?: Record<string, any> }>('GET', `/workflows/${id}`);
				return workflow.staticData?.['node:On click'] as { secret: string; recentIds?: string[] } | undefined;
			};
			const saved = await waitFor('the delivered id in the saved static data', async () => {
				const data = await staticData();
				return data?.recentIds?.length === 1 ? data : undefined;
			}, 15_000);

			await n8n.restart();

			// The same delivery again (its answer was lost, say): same webhook-id, new timestamp and signature.
			const body = JSON.stringify({ id: 'redelivered', type: 'click', recipient });
			const webhookId = saved.recentIds![0];
			const at = new Date();
			const res = await fetch(subscription.url, {
				method: 'POST',
				headers: {
					'content-type': 'application/json',
					'webhook-id': webhookId,
					'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
					'webhook-signature': new Webhook(saved.secret).sign(webhookId, at, body),
				},
				body,
			});
			expect(res.status).toBe(200);
			expect(await res.json()).toEqual({ received: true, duplicate: true });

			// A new click still runs the workflow, once: the redelivery added no execution before it.
			const before = receiver.on('/hooks/sms-clicked').length;
			const { links: next } = await campaignWithLinks(tracking, 'Redelivery after restart, next click', [recipient]);
			expect((await visit(next[recipient], userAgents.iPhoneSafari)).status).toBe(302);
			await waitFor('the follow-up call of the new click', () => receiver.on('/hooks/sms-clicked').length > before, 15_000, 100);
			const executions = await n8n.waitForExecutions(id, 2);
			expect(executions).toHaveLength(2);

			await n8n.deactivate(id);
			await waitFor('the subscription removed', async () => (await subscriptionsTo(tracking, n8n.url)).length === 0, 15_000);
		}, 180_000);
	});
}
