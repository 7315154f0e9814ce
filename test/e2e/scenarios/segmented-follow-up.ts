import { campaignWithLinks } from '../harness/campaigns';
import type { Environment } from '../harness/environment';
import { loadExample, nodeOutput } from '../harness/examples';
import { waitFor } from '../harness/processes';
import { userAgents, visit } from '../harness/visit';

/** examples/segmented-follow-up.json: Get Recipients (clicked, not converted) → Send follow-up. */
export function segmentedFollowUpScenario(env: () => Environment): void {
	describe('segmented follow-up (examples/segmented-follow-up.json)', () => {
		test('when one recipient clicked and bought, one clicked only and one never clicked, then only the one who clicked and did not buy gets the follow-up', async () => {
			const { n8n, seven, tracking, credentials } = env();
			const [ada, grace, linus] = ['+4915112341101', '+4915112341102', '+4915112341103'];
			const { campaignId, links } = await campaignWithLinks(tracking, 'Segmented follow-up', [ada, grace, linus], {
				conversionTracking: true,
				currency: 'EUR',
			});
			for (const who of [ada, grace]) expect((await visit(links[who], userAgents.androidChrome)).status).toBe(302);
			await waitFor(
				'both clicks in the stats',
				async () => (await tracking.api('GET', `/api/v1/campaigns/${campaignId}/stats`)).body.totals?.uniqueClickers === 2,
				15_000,
			);
			const bought = await tracking.api('POST', '/api/v1/conversions', { campaignId, recipient: grace, name: 'purchase', value: 20, currency: 'EUR' });
			expect(bought.status).toBe(201);

			const before = seven.received.length;
			const id = await n8n.createWorkflow(
				loadExample('segmented-follow-up.json', credentials, { cmp_YOUR_CAMPAIGN_ID: campaignId }),
			);
			await n8n.executeCli(id);
			const [execution] = await n8n.waitForExecutions(id, 1);
			expect(execution.status).toBe('success');
			expect(nodeOutput(execution, 'Clicked, did not buy').map((r) => r.recipient)).toEqual([ada]);
			expect(nodeOutput(execution, 'Send follow-up').map((s) => [s.recipient, s.status, s.wave, s.campaignId])).toEqual([
				[ada, 'sent', 'Follow-up', campaignId],
			]);
			expect(seven.received.slice(before).map((sms) => sms.to.replace(/^\+?/, '+'))).toEqual([ada]);
			const stats = (await tracking.api('GET', `/api/v1/campaigns/${campaignId}/stats`)).body;
			expect(stats.waves.map((w: { wave: string }) => w.wave)).toContain('Follow-up');
		});
	});
}
