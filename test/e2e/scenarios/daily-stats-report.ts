import { campaignWithLinks } from '../harness/campaigns';
import type { Environment } from '../harness/environment';
import { loadExample, nodeOutput } from '../harness/examples';
import { waitFor } from '../harness/processes';
import { userAgents, visit } from '../harness/visit';

/** examples/daily-stats-report.json: (schedule or Run now) → campaigns → Get Stats (simplified) → Report. */
export function dailyStatsReportScenario(env: () => Environment): void {
	describe('daily stats report (examples/daily-stats-report.json)', () => {
		test('when the report runs, then it is one item with a line per recent campaign from its simplified totals', async () => {
			const { n8n, tracking, credentials } = env();
			const [ada, grace] = ['+4915112341201', '+4915112341202'];
			const { campaignId, links } = await campaignWithLinks(tracking, 'Daily report campaign', [ada, grace]);
			const sent = await tracking.api('POST', `/api/v1/campaigns/${campaignId}/messages`, {
				messages: [ada, grace].map((recipient, n) => ({ recipient, status: 'sent', provider: 'seven', providerMessageId: `daily-${n}` })),
			});
			expect(sent.status).toBe(200);
			expect((await visit(links[ada], userAgents.iPhoneSafari)).status).toBe(302);
			await waitFor(
				'the click in the stats',
				async () => (await tracking.api('GET', `/api/v1/campaigns/${campaignId}/stats`)).body.totals?.clicks === 1,
				15_000,
			);

			const id = await n8n.createWorkflow(loadExample('daily-stats-report.json', credentials));
			await n8n.executeCli(id);
			const [execution] = await n8n.waitForExecutions(id, 1);
			expect(execution.status).toBe('success');
			const report = nodeOutput(execution, 'Report');
			expect(report).toHaveLength(1);
			expect(report[0].campaigns).toContainEqual(
				expect.objectContaining({ campaignId, name: 'Daily report campaign', sent: 2, clickers: 1, ctr: 0.5, conversions: 0 }),
			);
			expect(report[0].text).toContain('Daily report campaign: 2 sent, 1 clicked (50.0 %), 0 conversions');
			expect(report[0].sent).toBeGreaterThanOrEqual(2);
			// Get Stats was simplified: a totals item per campaign besides variants and waves
			expect(nodeOutput(execution, 'Get stats')).toContainEqual(expect.objectContaining({ campaignId, variant: null, wave: null, sent: 2 }));
		});
	});
}
