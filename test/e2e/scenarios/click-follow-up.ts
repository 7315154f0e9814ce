import { campaignWithLinks, subscriptionsTo } from '../harness/campaigns';
import type { Environment } from '../harness/environment';
import { loadExample, nodeOutput } from '../harness/examples';
import { waitFor } from '../harness/processes';
import { sleep, userAgents, visit } from '../harness/visit';

/**
 * examples/click-follow-up.json and examples/preview-follow-up.json: active workflows with the
 * SMS Tracking Trigger (click, view) → HTTP Request to the user's endpoint.
 */
export function clickFollowUpScenario(env: () => Environment): void {
	describe('click → follow-up (examples/click-follow-up.json, examples/preview-follow-up.json)', () => {
		let clickWorkflow = '';
		let viewWorkflow = '';

		test('when the trigger workflows are activated, then each subscribes on the tracking server', async () => {
			const { n8n, tracking, receiver, credentials } = env();
			const crm = { 'https://crm.example.com': receiver.url };
			clickWorkflow = await n8n.createWorkflow(loadExample('click-follow-up.json', credentials, crm));
			viewWorkflow = await n8n.createWorkflow(loadExample('preview-follow-up.json', credentials, crm));
			await n8n.activate(clickWorkflow);
			await n8n.activate(viewWorkflow);
			// Activation is asynchronous in n8n 2.41: the trigger's create() runs shortly after.
			const subscriptions = await waitFor('two subscriptions', async () => {
				const found = await subscriptionsTo(tracking, n8n.url);
				return found.length === 2 ? found : undefined;
			}, 15_000);
			expect(subscriptions.map((s) => s.events).sort()).toEqual([['click'], ['view']]);
		});

		test('when a phone opens a short link, then the click workflow calls the endpoint with the recipient within seconds', async () => {
			const { n8n, tracking, receiver } = env();
			const recipient = '+4915112341001';
			const { campaignId, links } = await campaignWithLinks(tracking, 'Click follow-up', [recipient]);
			const before = receiver.on('/hooks/sms-clicked').length;

			const hit = await visit(links[recipient], userAgents.androidChrome);
			expect(hit.status).toBe(302);
			const calls = await waitFor('the follow-up call', () => {
				const found = receiver.on('/hooks/sms-clicked').slice(before);
				return found.length > 0 ? found : undefined;
			}, 10_000, 100);
			expect(calls).toHaveLength(1);
			expect(calls[0].body).toMatchObject({ recipient, campaignId, url: expect.stringMatching(/^https:\/\/shop\.example\.com\/spring/) });

			const [execution] = await n8n.waitForExecutions(clickWorkflow, 1);
			expect(execution.status).toBe('success');
			expect(nodeOutput(execution, 'On click')).toEqual([
				expect.objectContaining({ type: 'click', recipient, campaignId, device: expect.objectContaining({ type: 'mobile', os: 'Android' }) }),
			]);
			expect(nodeOutput(execution, 'Tell the CRM')).toHaveLength(1);
		});

		test('when iMessage fetches a link preview, then only the view workflow runs', async () => {
			const { n8n, tracking, receiver } = env();
			const recipient = '+4915112341002';
			const { links } = await campaignWithLinks(tracking, 'Preview follow-up', [recipient]);
			const clicksBefore = (await n8n.executions(clickWorkflow)).length;
			const viewsBefore = receiver.on('/hooks/sms-viewed').length;

			await visit(links[recipient], userAgents.iMessagePreview);
			const calls = await waitFor('the view follow-up call', () => {
				const found = receiver.on('/hooks/sms-viewed').slice(viewsBefore);
				return found.length > 0 ? found : undefined;
			}, 10_000, 100);
			expect(calls[0].body).toMatchObject({ recipient });
			const [execution] = await n8n.waitForExecutions(viewWorkflow, 1);
			expect(nodeOutput(execution, 'On view')).toEqual([expect.objectContaining({ type: 'view', recipient })]);

			// A preview is not a click: give a wrongly routed event time to arrive, then check.
			await sleep(2_000);
			expect(await n8n.executions(clickWorkflow)).toHaveLength(clicksBefore);
		});

		test('when the workflows are deactivated, then their subscriptions are removed', async () => {
			const { n8n, tracking } = env();
			await n8n.deactivate(clickWorkflow);
			await n8n.deactivate(viewWorkflow);
			await waitFor('no subscriptions left', async () => (await subscriptionsTo(tracking, n8n.url)).length === 0, 15_000);
		});
	});
}
