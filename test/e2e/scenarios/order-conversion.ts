import { campaignWithLinks } from '../harness/campaigns';
import type { Environment } from '../harness/environment';
import { loadExample, nodeOutput } from '../harness/examples';
import { waitFor } from '../harness/processes';
import { userAgents, visit } from '../harness/visit';
import { postToWebhook } from '../harness/webhook';

/** examples/order-conversion.json: the shop's order webhook → Conversion → Track by campaign and recipient. */
export function orderConversionScenario(env: () => Environment): void {
	describe('order webhook → conversion (examples/order-conversion.json)', () => {
		test('when the shop posts the order of a recipient who clicked, then the campaign counts one purchase of its total, also when the shop posts it twice; an order of someone without the SMS does not stop the workflow', async () => {
			const { n8n, tracking, credentials } = env();
			const ada = '+4915112340901';
			const { campaignId, links } = await campaignWithLinks(tracking, 'Order conversions', [ada], {
				conversionTracking: true,
				currency: 'EUR',
			});
			expect((await visit(links[ada], userAgents.iPhoneSafari)).status).toBe(302);
			await waitFor(
				'the click in the stats',
				async () => (await tracking.api('GET', `/api/v1/campaigns/${campaignId}/stats`)).body.totals?.clicks === 1,
				15_000,
			);

			const id = await n8n.createWorkflow(
				loadExample('order-conversion.json', credentials, { cmp_YOUR_CAMPAIGN_ID: campaignId }),
			);
			await n8n.activate(id);
			const order = { id: 1001, total: 59.9, currency: 'EUR', customer: { phone: ada } };
			const stranger = { id: 1002, total: 10, currency: 'EUR', customer: { phone: '+4915112340999' } };
			for (const [body, count] of [
				[order, 1],
				[order, 2], // the shop sends its webhook again
				[stranger, 3],
			] as const) {
				expect(await postToWebhook(n8n.url, 'shop-order', body)).toBe(200);
				await n8n.waitForExecutions(id, count);
			}
			const executions = (await n8n.waitForExecutions(id, 3)).reverse(); // oldest first
			expect(executions.map((e) => e.status)).toEqual(['success', 'success', 'success']);
			const [first, again, other] = executions.map((e) => nodeOutput(e, 'Record conversion')[0]);
			expect(first).toMatchObject({ campaignId, recipient: ada, name: 'purchase', currency: 'EUR', duplicate: false });
			expect(Number(first.value)).toBe(59.9);
			expect(again).toMatchObject({ duplicate: true });
			expect(other.error).toMatch(/has no link or message in campaign/);

			const stats = (await tracking.api('GET', `/api/v1/campaigns/${campaignId}/stats`)).body;
			expect(stats.totals).toMatchObject({ conversions: 1, uniqueConverters: 1 });
			expect(Number(stats.totals.revenue)).toBe(59.9);
			await n8n.deactivate(id);
		});
	});
}
