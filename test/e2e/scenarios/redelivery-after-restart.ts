import { campaignWithLinks, subscriptionsTo } from '../harness/campaigns';
import type { Environment } from '../harness/environment';
import { loadExample, nodeOutput } from '../harness/examples';
import { waitFor } from '../harness/processes';
import { userAgents, visit } from '../harness/visit';

/**
 * The tracking server sends a click again after n8n restarted (its answer was lost, say): the
 * trigger's in-memory ids are gone with the old process, and n8n saves no static data written
 * during a webhook call, so only the receipt the trigger recorded on the tracking server can tell
 * it that this delivery already ran.
 */
export function redeliveryAfterRestartScenario(env: () => Environment): void {
	describe('redelivery after an n8n restart (examples/click-follow-up.json)', () => {
		test('when a delivered click is sent again after n8n restarted, then the workflow does not run a second time', async () => {
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

			const [first, later] = ['+4915112343101', '+4915112343102'];
			const { links } = await campaignWithLinks(tracking, 'Redelivery', [first, later]);
			expect((await visit(links[first], userAgents.iPhoneSafari)).status).toBe(302);
			await n8n.waitForExecutions(id, 1);
			const [delivery] = (await tracking.api('GET', `/api/v1/webhooks/${subscription.id}/deliveries`)).body.deliveries;
			expect(delivery).toMatchObject({ status: 'delivered', attempts: 1 });
			expect(await tracking.sql('SELECT delivery_id FROM webhook_receipts')).toEqual([{ delivery_id: delivery.id }]);

			await n8n.restart();
			await tracking.sql(
				`UPDATE webhook_deliveries SET status = 'pending', delivered_at = NULL, next_attempt_at = now() WHERE id = $1`,
				[delivery.id],
			);
			await waitFor('the redelivery to be answered', async () => {
				const { deliveries } = (await tracking.api('GET', `/api/v1/webhooks/${subscription.id}/deliveries`)).body;
				const again = deliveries.find((d: { id: string }) => d.id === delivery.id);
				return again.status === 'delivered' && again.attempts === 2;
			}, 30_000, 200);

			// A later click runs after the redelivery was answered: once its execution is there, a
			// second run of the first click would be too.
			expect((await visit(links[later], userAgents.iPhoneSafari)).status).toBe(302);
			const executions = await n8n.waitForExecutions(id, 2);
			expect(executions).toHaveLength(2);
			expect(await n8n.executions(id)).toHaveLength(2); // none still running either
			expect(executions.map((e) => nodeOutput(e, 'On click')[0].recipient).sort()).toEqual([first, later]);

			await n8n.deactivate(id);
			await waitFor('the subscription removed', async () => (await subscriptionsTo(tracking, n8n.url)).length === 0, 15_000);
		}, 240_000);
	});
}
