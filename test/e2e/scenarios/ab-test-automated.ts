import { subscriptionsTo } from '../harness/campaigns';
import type { Environment } from '../harness/environment';
import { loadExample, nodeOutput } from '../harness/examples';
import { waitFor } from '../harness/processes';
import { shortLinksIn, userAgents, visit } from '../harness/visit';

const textA = 'Spring sale: 20% off everything until Sunday';
const textB = 'Only until Sunday: 20% off your next order';
const plus = (phone: string) => phone.replace(/^\+?/, '+');

/**
 * examples/ab-test-automated.json: the top row sends the A/B test with a hold-out; every B
 * recipient clicks and no A recipient does; the campaign gets an A/B test rule (decide when met,
 * a minimum sample of 5 per variant); the server's rule checker (every 500 ms in this environment)
 * decides B and emits `winner`, which runs Send in Mode Winning Variant → Hold-Out.
 */
export function abTestAutomatedScenario(env: () => Environment): void {
	describe('automated A/B test (examples/ab-test-automated.json)', () => {
		test('when the server’s A/B rule decides B, then the winner event sends B’s text to exactly the hold-out, once, as the wave Winner', async () => {
			const { n8n, seven, tracking, credentials } = env();
			const id = await n8n.createWorkflow(loadExample('ab-test-automated.json', credentials));
			await n8n.activate(id);
			await waitFor(
				'the winner subscription',
				async () => (await subscriptionsTo(tracking, n8n.url)).find((s) => s.events.includes('winner')),
				15_000,
			);

			const before = seven.received.length;
			await n8n.executeCli(id);
			const [sendRun] = await n8n.waitForExecutions(id, 1);
			expect(sendRun.status).toBe('success');
			const campaignId = nodeOutput(sendRun, 'Create campaign')[0].id;
			const sentItems = nodeOutput(sendRun, 'Send A/B test', 0);
			const heldItems = nodeOutput(sendRun, 'Send A/B test', 1);
			expect(sentItems.length + heldItems.length).toBe(40);
			expect(heldItems.length).toBeGreaterThan(0);
			for (const item of heldItems) expect(item).toMatchObject({ variant: 'holdout', status: 'holdout' });
			const held = heldItems.map((item) => plus(item.recipient)).sort();

			const texts = seven.received.slice(before);
			expect(texts).toHaveLength(sentItems.length);
			const byVariant = { A: texts.filter((s) => s.text.startsWith(textA)), B: texts.filter((s) => s.text.startsWith(textB)) };
			expect(byVariant.A.length + byVariant.B.length).toBe(texts.length);
			expect(byVariant.A.length).toBeGreaterThanOrEqual(5);
			expect(byVariant.B.length).toBeGreaterThanOrEqual(5);

			// Every B recipient clicks through the real redirect; nobody of A does.
			for (const sms of byVariant.B) {
				const [link] = shortLinksIn(sms.text, tracking.url);
				expect((await visit(link, userAgents.iPhoneSafari)).status).toBe(302);
			}
			await waitFor('the clicks in the stats', async () => {
				const res = await tracking.api('GET', `/api/v1/campaigns/${campaignId}/stats`);
				return res.status === 200 && res.body.totals.uniqueClickers === byVariant.B.length;
			}, 15_000);

			const beforeWinner = seven.received.length;
			const rule = await tracking.api('PATCH', `/api/v1/campaigns/${campaignId}`, {
				abTestRule: { metric: 'ctr', confidence: 0.95, minSamplePerVariant: 5, decide: 'whenMet', deadlineAfterHours: 24, atDeadline: 'leader' },
			});
			expect(rule.status).toBe(200);

			const executions = await n8n.waitForExecutions(id, 2, 30_000);
			const winnerRun = executions.find((e) => e.id !== sendRun.id)!;
			expect(winnerRun.status).toBe('success');
			const [event] = nodeOutput(winnerRun, 'On winner');
			expect(event).toMatchObject({ type: 'winner', campaignId, winner: 'B' });
			const sentToHoldout = nodeOutput(winnerRun, 'Send winner to hold-out');
			expect(sentToHoldout.map((s) => plus(s.recipient)).sort()).toEqual(held);
			for (const item of sentToHoldout) expect(item).toMatchObject({ status: 'sent', wave: 'Winner', campaignId });

			const toHoldout = seven.received.slice(beforeWinner);
			expect(toHoldout.map((s) => plus(s.to)).sort()).toEqual(held);
			expect(seven.violations).toEqual([]);
			for (const sms of toHoldout) {
				expect(sms.text.startsWith(textB)).toBe(true);
				expect(shortLinksIn(sms.text, tracking.url)).toHaveLength(1);
			}
			const campaign = (await tracking.api('GET', `/api/v1/campaigns/${campaignId}`)).body;
			expect(campaign).toMatchObject({ winner: 'B', abTestResult: { variant: 'B', decidedBy: 'significance', holdoutRecipients: held.length } });
			const stats = (await tracking.api('GET', `/api/v1/campaigns/${campaignId}/stats`)).body;
			expect(stats.waves.map((w: { wave: string }) => w.wave)).toContain('Winner');

			// The winner event delivered a second time (its receipt gone, as if n8n never saw it): the
			// workflow runs again and sends nobody twice.
			const subscription = (await subscriptionsTo(tracking, n8n.url)).find((s) => s.events.includes('winner'))!;
			const { deliveries } = (await tracking.api('GET', `/api/v1/webhooks/${subscription.id}/deliveries`)).body;
			const delivery = deliveries.find((d: { eventType: string }) => d.eventType === 'winner');
			expect(delivery).toMatchObject({ status: 'delivered' });
			await tracking.sql('DELETE FROM webhook_receipts WHERE delivery_id = $1', [delivery.id]);
			await tracking.sql(
				`UPDATE webhook_deliveries SET status = 'pending', delivered_at = NULL, next_attempt_at = now() WHERE id = $1`,
				[delivery.id],
			);
			const again = await n8n.waitForExecutions(id, 3, 30_000);
			const rerun = again.find((e) => e.id !== sendRun.id && e.id !== winnerRun.id)!;
			expect(rerun.status).toBe('success');
			expect(nodeOutput(rerun, 'On winner')[0]).toMatchObject({ type: 'winner', campaignId, winner: 'B' });
			expect(nodeOutput(rerun, 'Send winner to hold-out')).toEqual([]);
			expect(seven.received.length).toBe(beforeWinner + held.length);

			await n8n.deactivate(id);
		}, 180_000);
	});
}
