import type { Environment } from '../harness/environment';
import { loadExample, nodeOutput } from '../harness/examples';
import { postToWebhook } from '../harness/webhook';

/** examples/transactional-sms.json: an order-shipped webhook → the shared campaign → one SMS. */
export function transactionalSmsScenario(env: () => Environment): void {
	describe('transactional SMS (examples/transactional-sms.json)', () => {
		test('when two orders ship, then each customer gets one SMS with a tracked link to their order, both in the one shared campaign', async () => {
			const { n8n, seven, tracking, credentials } = env();
			const id = await n8n.createWorkflow(loadExample('transactional-sms.json', credentials));
			await n8n.activate(id);
			const before = seven.received.length;
			const orders = [
				{ orderId: 'A-1001', phone: '+4915112341001' },
				{ orderId: 'A-1002', phone: '+4915112341002' },
			];
			for (const [n, order] of orders.entries()) {
				expect(await postToWebhook(n8n.url, 'order-shipped', order)).toBe(200);
				await n8n.waitForExecutions(id, n + 1);
			}
			const executions = (await n8n.waitForExecutions(id, 2)).reverse();
			expect(executions.map((e) => e.status)).toEqual(['success', 'success']);
			const sent = executions.map((e) => nodeOutput(e, 'Send shipping SMS')[0]);
			const [campaignId] = new Set(sent.map((s) => s.campaignId));
			expect(sent.map((s) => s.campaignId)).toEqual([campaignId, campaignId]);
			expect(sent.map((s) => [s.recipient, s.status, s.wave])).toEqual([
				[orders[0].phone, 'sent', 'Shipping'],
				[orders[1].phone, 'sent', 'Shipping'],
			]);

			const texts = seven.received.slice(before);
			expect(seven.violations).toEqual([]);
			expect(texts.map((sms) => sms.to.replace(/^\+?/, '+'))).toEqual(orders.map((o) => o.phone));
			for (const [n, sms] of texts.entries())
				expect(sms.text).toMatch(new RegExp(`^Your order ${orders[n].orderId} is on its way\\. Track it: \\S+/[A-Za-z0-9]+$`));
			const links = (await tracking.api('GET', `/api/v1/campaigns/${campaignId}/recipients`)).body.recipients;
			expect(links).toHaveLength(2);

			const campaigns = (await tracking.api('GET', '/api/v1/campaigns?search=Shipping%20notifications')).body.campaigns;
			expect(campaigns.map((c: { id: string }) => c.id)).toEqual([campaignId]);
			const stats = (await tracking.api('GET', `/api/v1/campaigns/${campaignId}/stats`)).body;
			expect(stats.totals).toMatchObject({ sent: 2 });
			await n8n.deactivate(id);
		});
	});
}
