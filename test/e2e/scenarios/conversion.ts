import { campaignWithLinks, subscriptionsTo } from '../harness/campaigns';
import type { Environment } from '../harness/environment';
import { loadExample, nodeOutput } from '../harness/examples';
import { waitFor } from '../harness/processes';
import { userAgents, visit } from '../harness/visit';

/** examples/conversion-follow-up.json: SMS Tracking Trigger (conversion) → HTTP Request. */
export function conversionScenario(env: () => Environment): void {
	describe('conversion → workflow (examples/conversion-follow-up.json)', () => {
		test('when a conversion is posted through the API, then the conversion workflow runs with its value', async () => {
			const { n8n, tracking, receiver, credentials } = env();
			const recipient = '+4915112342001';
			const { campaignId, links } = await campaignWithLinks(tracking, 'Conversions', [recipient], { conversionTracking: true, currency: 'EUR' });
			const id = await n8n.createWorkflow(loadExample('conversion-follow-up.json', credentials, { 'https://crm.example.com': receiver.url }));
			await n8n.activate(id);
			await waitFor('the conversion subscription', async () => (await subscriptionsTo(tracking, n8n.url)).some((s) => s.events.includes('conversion')), 15_000);

			// The recipient clicks, then buys; the shop reports the purchase server to server.
			expect((await visit(links[recipient], userAgents.iPhoneSafari)).status).toBe(302);
			const posted = await tracking.api('POST', '/api/v1/conversions', {
				campaignId,
				recipient,
				name: 'purchase',
				value: 49.9,
				currency: 'EUR',
				idempotencyKey: 'order-e2e-1001',
			});
			expect([200, 201, 202]).toContain(posted.status);

			const calls = await waitFor('the conversion follow-up call', () => {
				const found = receiver.on('/hooks/sms-converted');
				return found.length > 0 ? found : undefined;
			}, 10_000, 100);
			expect(calls[0].body).toMatchObject({ recipient, campaignId, conversion: 'purchase', currency: 'EUR' });
			expect(Number((calls[0].body as { value: unknown }).value)).toBe(49.9);

			const [execution] = await n8n.waitForExecutions(id, 1);
			expect(execution.status).toBe('success');
			const [event] = nodeOutput(execution, 'On conversion');
			expect(event).toMatchObject({ type: 'conversion', recipient, campaignId, conversion: expect.objectContaining({ name: 'purchase', currency: 'EUR' }) });
			expect(Number(event.conversion.value)).toBe(49.9);

			await n8n.deactivate(id);
			await waitFor('the subscription removed', async () => (await subscriptionsTo(tracking, n8n.url)).length === 0, 15_000);
		});
	});
}
