import type { Environment } from '../harness/environment';
import { loadExample, nodeOutput } from '../harness/examples';
import { waitFor } from '../harness/processes';
import { shortLinksIn, userAgents, visit } from '../harness/visit';

const textA = 'Spring sale: 20% off everything until Sunday';
const textB = 'Only until Sunday: 20% off your next order';

/**
 * examples/ab-test-send.json then examples/ab-test-winner.json: two variants and a hold-out;
 * clicks favour B; Pick Winner names B; the hold-out is sent B's text.
 */
export function abTestScenario(env: () => Environment): void {
	describe('A/B test, then the winner (examples/ab-test-send.json, examples/ab-test-winner.json)', () => {
		test('when B gets more clicks, then Pick Winner returns B and the hold-out is sent B’s text', async () => {
			const { n8n, seven, tracking, credentials } = env();
			const before = seven.received.length;
			const sendId = await n8n.createWorkflow(loadExample('ab-test-send.json', credentials));
			await n8n.executeCli(sendId);
			const [sendRun] = await n8n.waitForExecutions(sendId, 1);
			expect(sendRun.status).toBe('success');
			const campaignId = nodeOutput(sendRun, 'Create campaign')[0].id;
			const sentItems = nodeOutput(sendRun, 'Send A/B test', 0);
			const heldItems = nodeOutput(sendRun, 'Send A/B test', 1);
			expect(sentItems.length + heldItems.length).toBe(30);
			expect(heldItems.length).toBeGreaterThan(0);
			for (const item of heldItems) expect(item).toMatchObject({ variant: 'holdout', status: 'holdout' });

			// The provider got the variants' texts, and nothing for the hold-out.
			const texts = seven.received.slice(before);
			expect(texts).toHaveLength(sentItems.length);
			const byVariant = { A: texts.filter((s) => s.text.startsWith(textA)), B: texts.filter((s) => s.text.startsWith(textB)) };
			expect(byVariant.A.length + byVariant.B.length).toBe(texts.length);
			expect(byVariant.A.length).toBeGreaterThanOrEqual(5);
			expect(byVariant.B.length).toBeGreaterThanOrEqual(5);
			const held = new Set(heldItems.map((item) => item.recipient.replace(/^\+/, '')));
			for (const sms of texts) expect(held.has(sms.to.replace(/^\+/, ''))).toBe(false);

			// Every B recipient clicks, one A recipient does.
			for (const sms of [...byVariant.B, byVariant.A[0]]) {
				const [link] = shortLinksIn(sms.text, tracking.url);
				expect((await visit(link, userAgents.iPhoneSafari)).status).toBe(302);
			}
			await waitFor('the clicks in the stats', async () => {
				const res = await tracking.api('GET', `/api/v1/campaigns/${campaignId}/stats`);
				return res.status === 200 && res.body.totals.uniqueClickers === byVariant.B.length + 1;
			}, 15_000);

			const beforeWinner = seven.received.length;
			const winnerId = await n8n.createWorkflow(
				loadExample('ab-test-winner.json', credentials, {
					'"minSamplePerVariant": 100': '"minSamplePerVariant": 5',
				}),
			);
			await n8n.executeCli(winnerId);
			const [winnerRun] = await n8n.waitForExecutions(winnerId, 1);
			expect(winnerRun.status).toBe('success');
			// The example finds the A/B send's campaign by its name: no id typed into the workflow.
			expect(nodeOutput(winnerRun, 'Campaign').map((c) => c.id)).toEqual([campaignId]);
			const [pick] = nodeOutput(winnerRun, 'Pick winner');
			expect(pick).toMatchObject({ winner: 'B', leader: 'B', runnerUp: 'A', significant: true, minSampleReached: true });
			expect(pick.pValue).toBeLessThan(0.05);
			expect(nodeOutput(winnerRun, 'Hold-out').map((r) => r.recipient).sort()).toEqual(heldItems.map((item) => item.recipient).sort());

			const toHoldout = seven.received.slice(beforeWinner);
			expect(toHoldout.map((s) => s.to.replace(/^\+/, '')).sort()).toEqual([...held].sort());
			expect(seven.violations).toEqual([]);
			for (const sms of toHoldout) {
				expect(sms.text.startsWith(textB)).toBe(true);
				expect(shortLinksIn(sms.text, tracking.url)).toHaveLength(1);
			}
		});
	});
}
