import type { Environment } from '../harness/environment';
import { loadExample, nodeOutput } from '../harness/examples';
import { waitFor } from '../harness/processes';
import { shortLinksIn, userAgents, visit } from '../harness/visit';

/** examples/campaign-with-tracking.json: Manual Trigger → Create campaign → Recipients → Send SMS. */
export function campaignScenario(env: () => Environment): void {
	describe('campaign with tracking (examples/campaign-with-tracking.json)', () => {
		test('when the campaign workflow runs, then the provider gets one text per recipient with a short link of its own, and a click shows in the stats', async () => {
			const { n8n, seven, tracking, credentials } = env();
			const before = seven.received.length;
			const id = await n8n.createWorkflow(loadExample('campaign-with-tracking.json', credentials));
			await n8n.executeCli(id);

			const [execution] = await n8n.waitForExecutions(id, 1);
			expect(execution.data?.resultData.error).toBeUndefined();
			expect(execution.status).toBe('success');
			const campaignId = nodeOutput(execution, 'Create campaign')[0].id;
			expect(campaignId).toEqual(expect.any(String));
			const sentItems = nodeOutput(execution, 'Send SMS');
			expect(sentItems.map((item) => [item.recipient, item.status])).toEqual([
				['+4915112340001', 'sent'],
				['+4915112340002', 'sent'],
				['+4915112340003', 'sent'],
			]);

			const texts = seven.received.slice(before);
			expect(seven.violations).toEqual([]);
			expect(texts.map((sms) => sms.to.replace(/^\+/, '')).sort()).toEqual(['4915112340001', '4915112340002', '4915112340003']);
			for (const sms of texts) expect(sms.from).toBe('MyShop');
			expect(texts.find((sms) => sms.to.endsWith('0001'))?.text).toMatch(/^Hi Ada, our spring sale is on/);
			const links = texts.map((sms) => shortLinksIn(sms.text, tracking.url));
			for (const found of links) expect(found).toHaveLength(1);
			expect(new Set(links.flat()).size).toBe(3);
			for (const sms of texts) expect(sms.text).not.toContain('https://shop.example.com/spring');

			const hit = await visit(links[0][0], userAgents.iPhoneSafari);
			expect(hit.status).toBe(302);
			expect(hit.location).toMatch(/^https:\/\/shop\.example\.com\/spring/);

			const stats = await waitFor(
				'the click in the stats',
				async () => {
					const res = await tracking.api('GET', `/api/v1/campaigns/${campaignId}/stats`);
					return res.status === 200 && res.body.totals.clicks === 1 ? res.body : undefined;
				},
				15_000,
			);
			expect(stats.totals).toMatchObject({ sent: 3, clicks: 1, uniqueClickers: 1 });
		});
	});
}
