import { campaignWithLinks } from '../harness/campaigns';
import type { Environment } from '../harness/environment';
import { loadExample, nodeOutput } from '../harness/examples';
import { waitFor } from '../harness/processes';
import { userAgents, visit } from '../harness/visit';

/** The clock in Berlin at `at`. */
const berlin = (at: Date) => {
	const parts = new Intl.DateTimeFormat('en-GB', {
		timeZone: 'Europe/Berlin',
		hour: '2-digit',
		minute: '2-digit',
		hourCycle: 'h23',
	}).formatToParts(at);
	const part = (type: string) => Number(parts.find((p) => p.type === type)!.value);
	return { hour: part('hour'), minute: part('minute') };
};

/**
 * examples/best-hour-send.json: Create campaign → Recipients → Send at best hour (Best Hour per
 * Recipient). Ada clicked three times in an earlier campaign, now: her SMS is scheduled for this
 * hour of the day in Berlin; the others get the audience's best hour.
 */
export function bestHourSendScenario(env: () => Environment): void {
	describe('best-hour send (examples/best-hour-send.json)', () => {
		test('when a recipient clicked three times before, then seven.io is asked to deliver at that hour of the day on her clock, the others at the audience’s', async () => {
			const { n8n, seven, tracking, credentials } = env();
			const ada = '+4915112340101';
			const { campaignId, links } = await campaignWithLinks(tracking, 'earlier campaign', [ada]);
			const clickedAt = new Date();
			for (let i = 0; i < 3; i++)
				expect((await visit(links[ada], userAgents.iPhoneSafari)).status).toBe(302);
			await waitFor(
				'Ada’s three clicks in the stats',
				async () => {
					const res = await tracking.api('GET', `/api/v1/campaigns/${campaignId}/stats`);
					return res.status === 200 && res.body.totals.clicks === 3;
				},
				15_000,
			);

			const before = seven.received.length;
			const id = await n8n.createWorkflow(loadExample('best-hour-send.json', credentials));
			await n8n.executeCli(id);
			const [execution] = await n8n.waitForExecutions(id, 1);
			expect(execution.status).toBe('success');
			const out = nodeOutput(execution, 'Send at best hour');
			expect(out.map((item) => [item.recipient, item.status, item.sendTime?.source])).toEqual([
				[ada, 'sent', 'recipient'],
				['+4915112340102', 'sent', 'audience'],
				['+4915112340103', 'sent', 'audience'],
			]);

			const texts = seven.received.slice(before);
			expect(seven.violations).toEqual([]);
			expect(texts).toHaveLength(3);
			for (const sms of texts) {
				expect(sms.delay).toMatch(/^\d{10}$/);
				const sendAt = new Date(Number(sms.delay) * 1000);
				expect(berlin(sendAt).minute).toBe(0);
				expect(sendAt.getTime()).toBeGreaterThan(Date.now() + 15 * 60_000);
				const item = out.find((o) => o.recipient.replace(/^\+/, '') === sms.to.replace(/^\+/, ''));
				expect(item.scheduledAt).toBe(sendAt.toISOString());
			}
			const adas = texts.find((sms) => sms.to.endsWith('0101'))!;
			expect(berlin(new Date(Number(adas.delay) * 1000)).hour).toBe(berlin(clickedAt).hour);
		}, 120_000);
	});
}
