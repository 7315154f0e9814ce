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
			expect(event).toMatchObject({
				type: 'winner',
				campaignId,
				winner: { variant: 'B', decidedBy: 'significance', significant: true, holdoutRecipients: held.length },
			});
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

			// The winner event delivered a second time (its answer lost, say): n8n answers it and
			// sends nobody twice. (A re-run of the Send node itself is covered by the node's tests.)
			const subscription = (await subscriptionsTo(tracking, n8n.url)).find((s) => s.events.includes('winner'))!;
			const deliveriesOf = async () =>
				(await tracking.api('GET', `/api/v1/webhooks/${subscription.id}/deliveries`)).body.deliveries as Array<{
					id: string;
					eventType: string;
					status: string;
					attempts: number;
				}>;
			const delivery = (await deliveriesOf()).find((d) => d.eventType === 'winner')!;
			expect(delivery).toMatchObject({ status: 'delivered', attempts: 1 });
			await tracking.sql(
				`UPDATE webhook_deliveries SET status = 'pending', delivered_at = NULL, next_attempt_at = now() WHERE id = $1`,
				[delivery.id],
			);
			await waitFor('the redelivery to be answered', async () => {
				const again = (await deliveriesOf()).find((d) => d.id === delivery.id);
				return again?.status === 'delivered' && again.attempts === 2;
			}, 30_000, 200);
			expect(await n8n.executions(id)).toHaveLength(2);
			expect(seven.received.length).toBe(beforeWinner + held.length);

			await n8n.deactivate(id);
		}, 180_000);
	});
}
